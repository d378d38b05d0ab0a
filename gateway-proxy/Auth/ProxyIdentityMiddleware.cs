namespace Shop.Gateway.Auth;

/// <summary>
/// In Jwt mode, the only user a proxied request can act as is its token's: a request without an accepted token is
/// answered here (401/403 problem), and any X-User-ID the client sent is replaced by the token's user before the
/// request reaches an app. In Header mode the client's X-User-ID goes through as it is (the apps check it).
/// </summary>
internal sealed class ProxyIdentityMiddleware(RequestDelegate next, IRequestIdentity identity, ILogger<ProxyIdentityMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (identity.Mode != AuthMode.Jwt)
        {
            await next(context);
            return;
        }
        var result = await identity.ResolveAsync(context);
        if (result.Problem is { } problem)
        {
            AuthLog.RequestRefused(logger, context.Request.Method, context.Request.Path.Value ?? "/", problem.Status, problem.Detail);
            await problem.WriteAsync(context);
            return;
        }
        // Replaces every spelling and every copy the client sent: header names are case-insensitive here and at the apps.
        context.Request.Headers[RequestIdentity.UserHeader] = result.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await next(context);
    }
}
