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

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Order status feed consuming queue {Queue} bound to {Exchange}/{RoutingKey} on {Endpoint}")]
    public static partial void FeedConsuming(ILogger logger, string queue, string exchange, string routingKey, string endpoint);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Order status feed channel of queue {Queue} closed ({Reason}); reconnecting")]
    public static partial void FeedChannelClosed(ILogger logger, string queue, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning,
        Message = "Order status feed cannot reach the broker (attempt {Attempt}); live order status pauses until it returns")]
    public static partial void FeedBrokerUnavailable(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "Pushed status {Status} of order {OrderId} to user {UserId}")]
    public static partial void StatusPushed(ILogger logger, Guid orderId, long userId, string status);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Could not push the status of order {OrderId} to user {UserId}")]
    public static partial void StatusPushFailed(ILogger logger, Exception exception, Guid orderId, long userId);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning,
        Message = "Dropped malformed OrderStatusChanged message {MessageId} (order {OrderId}): {Problem}")]
    public static partial void MalformedStatusEvent(ILogger logger, string? messageId, string? orderId, string problem);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "Refused a hub connection on {Path}: {Problem}")]
    public static partial void HubConnectionRefused(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 17, Level = LogLevel.Debug, Message = "Hub connection {ConnectionId} joined user {UserId}")]
    public static partial void HubConnected(ILogger logger, string connectionId, long userId);
}
