namespace Shop.Gateway.Auth;

/// <summary>
/// Resolves the user a request acts as, in the configured mode: in Header mode the X-User-ID header, in Jwt mode the
/// validated bearer token from the Authorization header. With <c>allowQuery</c> (hub and WebSocket requests, which a
/// browser cannot give headers) also <c>?userId=</c> in Header mode; in Jwt mode the hub's requests and any WebSocket
/// upgrade may carry the token as <c>?access_token=</c>. A header wins over the query. The result is kept on the
/// request, so resolving twice costs nothing.
/// </summary>
public interface IRequestIdentity
{
    AuthMode Mode { get; }

    ValueTask<IdentityResult> ResolveAsync(HttpContext context, bool allowQuery = false);

    /// <summary>The result of an earlier <see cref="ResolveAsync"/> on this request, if any.</summary>
    IdentityResult? Resolved(HttpContext context);
}
