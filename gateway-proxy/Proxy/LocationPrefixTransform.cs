using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Shop.Gateway.Proxy;

/// <summary>
/// A service answers with its own paths (<c>Location: /orders/{id}</c> from Orders); behind a route that removes a
/// prefix, the client reaches that resource with the prefix put back (<c>/orders/orders/{id}</c>). Only a path
/// relative to the service's root is rewritten; an absolute URL or a protocol-relative one is left as it is.
/// </summary>
internal static class LocationPrefixTransform
{
    public static void Apply(TransformBuilderContext context)
    {
        var prefix = context.Route.Transforms?
            .Select(transform => transform.TryGetValue("PathRemovePrefix", out var value) ? value : null)
            .FirstOrDefault(value => !string.IsNullOrEmpty(value))?
            .TrimEnd('/');
        if (string.IsNullOrEmpty(prefix))
        {
            return;
        }
        context.AddResponseTransform(transform =>
        {
            var headers = transform.HttpContext.Response.Headers;
            var location = headers.Location.ToString();
            if (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal))
            {
                headers[HeaderNames.Location] = prefix + location;
            }
            return ValueTask.CompletedTask;
        });
    }
}
