using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Shop.Gateway.Auth;

/// <summary>
/// Gives every request to an app the app's function key (cluster metadata <c>FunctionKey</c>) in <c>x-functions-key</c>,
/// the header the Functions host checks for <c>AuthorizationLevel.Function</c>. A key the client sent, as header or as
/// <c>?code=</c>, never reaches the app: the gateway is the only caller that holds the key.
/// </summary>
internal sealed class FunctionKeyTransformProvider : ITransformProvider
{
    public const string MetadataKey = "FunctionKey";
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        context.AddQueryRemoveKey(QueryName);
        var key = context.Cluster?.Metadata?.GetValueOrDefault(MetadataKey);
        if (string.IsNullOrEmpty(key))
        {
            context.AddRequestHeaderRemove(HeaderName);
        }
        else
        {
            context.AddRequestHeader(HeaderName, key, append: false);
        }
    }
}
