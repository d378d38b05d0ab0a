namespace Shop.Gateway.Auth;

internal static partial class AuthLog
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Warning,
        Message = "Auth:Mode is Header: the client's X-User-ID is trusted as it is, so any client can act as any user. Use Auth:Mode=Jwt for anything but local development")]
    public static partial void HeaderModeIsUnauthenticated(ILogger logger);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Identity is a bearer token ({Validation}); the user id is its '{Claim}' claim")]
    public static partial void JwtMode(ILogger logger, string validation, string claim);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Refused {Method} {Path} with {Status}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning,
        Message = "Auth:DevTokens is on: POST /auth/dev-token signs a token for any user id to anyone who asks")]
    public static partial void DevTokensOn(ILogger logger);

    [LoggerMessage(EventId = 34, Level = LogLevel.Information, Message = "Issued a dev token for user {UserId}, valid until {ExpiresAt:O}")]
    public static partial void DevTokenIssued(ILogger logger, long userId, DateTimeOffset expiresAt);
}
