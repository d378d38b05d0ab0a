using Shop.Gateway.LiveStatus;
using Yarp.ReverseProxy.Model;

namespace Shop.Gateway.Auth;

/// <summary>
/// Works out who a proxied or hub request comes from before the rate limiter partitions it by user. It refuses
/// nothing: <see cref="ProxyIdentityMiddleware"/> and the hub's middleware answer the problem, after the limiter
/// has counted the request against its client address.
/// </summary>
internal sealed class IdentityResolutionMiddleware(RequestDelegate next, IRequestIdentity identity)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(OrdersHub.Path, StringComparison.OrdinalIgnoreCase))
        {
            await identity.ResolveAsync(context, allowQuery: true);
        }
        else if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is not null)
        {
            await identity.ResolveAsync(context);
        }
        await next(context);
    }
}
