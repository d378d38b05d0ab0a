using Yarp.ReverseProxy.Forwarder;

namespace Shop.Gateway;

internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Proxying {Method} {Path} on route {RouteId} to cluster {ClusterId} ({Destination}) failed: {ForwarderError}")]
    public static partial void ProxyFailed(
        ILogger logger, string method, string path, string routeId, string clusterId, string? destination,
        ForwarderError forwarderError, Exception? exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Rejected {Method} {Path}: body of {ContentLength} bytes is over the {Limit}-byte limit")]
    public static partial void BodyTooLarge(ILogger logger, string method, string path, long? contentLength, long limit);
}
