namespace Shop.Gateway.WebSockets;

internal static partial class WebSocketLog
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Order socket watching order {OrderId} ({Status})")]
    public static partial void Watching(ILogger logger, Guid orderId, string status);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Order socket for order {OrderId} refused: {Reason}")]
    public static partial void Refused(ILogger logger, Guid orderId, string reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Order socket could not read order {OrderId} from the Orders app")]
    public static partial void LookupFailed(ILogger logger, Exception exception, Guid orderId);
}
