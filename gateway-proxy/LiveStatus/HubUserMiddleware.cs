using Shop.Gateway.Problems;

namespace Shop.Gateway.LiveStatus;

/// <summary>
/// Refuses a hub request (negotiate or connect) without a valid user id with a 400 problem, before SignalR sees it,
/// and otherwise names the user as the request's principal for the hub to read.
/// </summary>
internal sealed class HubUserMiddleware(RequestDelegate next, ILogger<HubUserMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        // CORS preflights carry no credentials or custom headers; the CORS middleware has answered them already.
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            return next(context);
        }
        if (!HubUser.TryRead(context.Request, out var userId, out var problem))
        {
            GatewayLog.HubConnectionRefused(logger, context.Request.Path.Value ?? "/", problem);
            return GatewayProblem.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad Request", problem);
        }
        context.User = HubUser.Principal(userId);
        return next(context);
    }
}
