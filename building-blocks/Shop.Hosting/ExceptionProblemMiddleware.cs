using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shop.Hosting;

/// <summary>ASP.NET Core middleware of the development host: an unhandled exception becomes an application/problem+json response.</summary>
public sealed class ExceptionProblemMiddleware(RequestDelegate next, ILogger<ExceptionProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // Once the response has started the filter fails and the exception propagates to the server, which aborts the response.
            await ProblemResponse.WriteAsync(context, ex, context.GetEndpoint()?.DisplayName ?? "(no endpoint)", logger);
        }
    }
}
