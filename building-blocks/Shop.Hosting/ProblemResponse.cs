using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shop.Hosting;

/// <summary>Logs an unhandled exception once and answers with its problem details; shared by both hosts' middleware.</summary>
internal static class ProblemResponse
{
    public static async Task WriteAsync(HttpContext context, Exception exception, string function, ILogger logger)
    {
        HostingLog.UnhandledException(logger, exception, function, context.Request.Method, context.Request.Path.Value ?? "");
        var problem = ExceptionProblems.ToProblem(exception, context);
        // Drop whatever headers and status the function set before it failed.
        context.Response.Clear();
        await Results.Problem(problem).ExecuteAsync(context);
    }
}
