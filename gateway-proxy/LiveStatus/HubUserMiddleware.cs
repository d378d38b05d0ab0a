using Shop.Gateway.Auth;

namespace Shop.Gateway.LiveStatus;

/// <summary>
/// Refuses a hub request (negotiate or connect) without a user, before SignalR sees it: in Header mode a 400 problem
/// without a valid X-User-ID or <c>?userId=</c>, in Jwt mode a 401/403 problem without an accepted token (header or
/// <c>?access_token=</c>; <c>?userId=</c> and X-User-ID are ignored). Otherwise names the user as the request's
/// principal for the hub to read.
/// </summary>
internal sealed class HubUserMiddleware(RequestDelegate next, IRequestIdentity identity, ILogger<HubUserMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // CORS preflights carry no credentials or custom headers; the CORS middleware has answered them already.
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }
        var result = await identity.ResolveAsync(context, allowQuery: true);
        if (result.Problem is { } problem)
        {
            GatewayLog.HubConnectionRefused(logger, context.Request.Path.Value ?? "/", problem.Detail);
            await problem.WriteAsync(context);
            return;
        }
        context.User = HubUser.Principal(result.UserId);
        await next(context);
    }
}
