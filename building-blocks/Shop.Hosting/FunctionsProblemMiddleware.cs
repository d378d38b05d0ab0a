using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Shop.Hosting;

/// <summary>Functions worker middleware: an unhandled exception in an HTTP function becomes an application/problem+json response.</summary>
public sealed class FunctionsProblemMiddleware(ILogger<FunctionsProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false })
        {
            // Non-HTTP functions have no HttpContext: the filter fails and the Functions host reports the failure itself.
            await ProblemResponse.WriteAsync(context.GetHttpContext()!, ex, context.FunctionDefinition.Name, logger);
        }
    }
}
