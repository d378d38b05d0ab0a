using Microsoft.AspNetCore.Http.Features;
using Shop.Gateway.Problems;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Shop.Gateway.Proxy;

/// <summary>Turns YARP's empty error responses into problem details that name the service at fault.</summary>
internal sealed class ProxyErrorMiddleware(RequestDelegate next, ILogger<ProxyErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var error = context.GetForwarderErrorFeature();
        if (error is null)
        {
            return;
        }

        var proxy = context.GetReverseProxyFeature();
        var service = proxy.Cluster.Config.ClusterId;
        GatewayLog.ProxyFailed(
            logger,
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            proxy.Route.Config.RouteId,
            service,
            proxy.ProxiedDestination?.Model.Config.Address,
            error.Error,
            error.Exception);

        // Once the backend's response has begun streaming, the client already has its status line.
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var (status, title, detail) = Describe(error, proxy, context);
        await GatewayProblem.WriteAsync(context, status, title, detail, service);
    }

    private static (int Status, string Title, string Detail) Describe(
        IForwarderErrorFeature error, IReverseProxyFeature proxy, HttpContext context)
    {
        var service = proxy.Cluster.Config.ClusterId;
        if (IsBodyTooLarge(error.Exception))
        {
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            return (StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
                $"The request body is larger than the gateway's limit of {limit} bytes.");
        }

        return error.Error switch
        {
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "Gateway Timeout",
                $"The {service} service did not respond within {FormatTimeout(proxy.Cluster.Config.HttpRequest?.ActivityTimeout)}."),
            ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                $"The {service} service has no available destination."),
            ForwarderError.RequestBodyClient => (StatusCodes.Status400BadRequest, "Bad Request",
                "The request body could not be read from the client."),
            ForwarderError.Request or ForwarderError.RequestBodyDestination => (StatusCodes.Status502BadGateway, "Bad Gateway",
                $"The {service} service is unreachable."),
            _ => (StatusCodes.Status502BadGateway, "Bad Gateway",
                $"The {service} service failed to answer the request ({error.Error})."),
        };
    }

    private static string FormatTimeout(TimeSpan? timeout) =>
        timeout is { } value ? $"{value.TotalSeconds:0.###} s" : "the configured timeout";

    private static bool IsBodyTooLarge(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }
}
