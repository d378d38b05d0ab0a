using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Gateway.Problems;

/// <summary>The RFC 7807 bodies of the errors the gateway itself produces.</summary>
internal static class GatewayProblem
{
    public static ProblemHttpResult Create(HttpContext context, int status, string title, string detail, string? service = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
        };
        Complete(problem, context);
        if (service is not null)
        {
            problem.Extensions["service"] = service;
        }

        return TypedResults.Problem(problem);
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string detail, string? service = null) =>
        Create(context, status, title, detail, service).ExecuteAsync(context);

    /// <summary>Adds what every gateway problem carries: the request it answers and the trace to look it up by.</summary>
    public static void Complete(ProblemDetails problem, HttpContext context)
    {
        problem.Instance ??= context.Request.Path.Value;
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.TraceIdentifier);
    }
}
