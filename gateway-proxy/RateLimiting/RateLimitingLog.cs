namespace Shop.Gateway.RateLimiting;

internal static partial class RateLimitingLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information,
        Message = "Rate limited {Method} {Path} from {Address} (user {UserId}); retry after {RetryAfterSeconds} s")]
    public static partial void Rejected(ILogger logger, string method, string path, string? address, long? userId, int retryAfterSeconds);
}
