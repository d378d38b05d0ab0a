using Microsoft.AspNetCore.Http.Features;
using Shop.Gateway.Problems;

namespace Shop.Gateway.Proxy;

/// <summary>Refuses a declared oversized body before it is read: a client that sent <c>Expect: 100-continue</c> gets the 413 problem
/// without sending the body; one already sending it may see the connection close first.</summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, ILogger<RequestBodyLimitMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is null || !(context.Request.ContentLength > limit))
        {
            return next(context);
        }

        GatewayLog.BodyTooLarge(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Request.ContentLength, limit.Value);
        return GatewayProblem.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
            $"The request body is larger than the gateway's limit of {limit.Value} bytes.");
    }
}
