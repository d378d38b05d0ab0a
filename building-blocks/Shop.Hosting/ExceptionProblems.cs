using System.Data.Common;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace Shop.Hosting;

/// <summary>The one place that turns an unhandled exception into the problem details a client sees, on both hosts.</summary>
public static class ExceptionProblems
{
    /// <summary>Non-standard status (nginx) for a request the client abandoned.</summary>
    public const int ClientClosedRequest = 499;

    public const string DatabaseUnavailableDetail = "The database is unavailable; try again shortly.";

    public const string UnexpectedDetail = "An unexpected error occurred.";

    public static ProblemDetails ToProblem(Exception exception, HttpContext context)
    {
        var (status, title, detail) = exception switch
        {
            OperationCanceledException when context.RequestAborted.IsCancellationRequested =>
                (ClientClosedRequest, "Client Closed Request", "The client closed the request."),
            BadHttpRequestException bad => (bad.StatusCode, ReasonPhrases.GetReasonPhrase(bad.StatusCode), BadRequestDetail(bad.StatusCode)),
            _ when IsDatabaseUnavailable(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "Service Unavailable", DatabaseUnavailableDetail),
            _ => (StatusCodes.Status500InternalServerError, "Internal Server Error", UnexpectedDetail),
        };

        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path.Value };
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
        return problem;
    }

    /// <summary>True when the exception, or one it wraps (EF's DbUpdateException, a retry strategy's InvalidOperationException), says the database cannot be reached.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            var unavailable = current switch
            {
                TimeoutException => true,
                // A PostgresException is an answer from the server (constraint, syntax…), unavailable only when Postgres says it is transient.
                PostgresException postgres => postgres.IsTransient,
                NpgsqlException => true,
                DbException db => db.IsTransient,
                _ => false,
            };
            if (unavailable)
            {
                return true;
            }
        }

        return false;
    }

    private static string BadRequestDetail(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status408RequestTimeout => "The request took too long to arrive.",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are too large.",
        _ => "The request could not be read.",
    };
}
