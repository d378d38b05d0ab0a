namespace Shop.Api;

/// <summary>The request headers the APIs read.</summary>
public static class ApiHeaders
{
    /// <summary>The caller's user id, as the gateway forwards it.</summary>
    public const string UserId = "X-User-ID";

    /// <summary>A client's key for one create request; a repeat with the same key returns the first result.</summary>
    public const string IdempotencyKey = "Idempotency-Key";
}
