using Shop.Gateway.Auth;

namespace Shop.Gateway.WebSockets;

/// <summary>
/// Identity by bearer token (the Jwt mode): the socket needs an accepted token, as <c>?access_token=</c> (what a browser
/// can send on a WebSocket) or the Authorization header, and the token's user must own the order. X-User-ID,
/// <c>?userId=</c> and <c>?user_id=</c> are ignored, as on the hub: only the token names the user.
/// </summary>
public sealed class TokenWatchPolicy(IRequestIdentity identity) : IOrderWatchPolicy
{
    public async ValueTask<WatchDecision> AdmitAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var result = await identity.ResolveAsync(context, allowQuery: true);
        return result.Problem is { } problem ? Refusal(problem) : WatchDecision.Allow();
    }

    public async ValueTask<WatchDecision> DecideAsync(HttpContext context, OrderSnapshot order, CancellationToken cancellationToken)
    {
        // Resolved once per request: this is the result AdmitAsync saw.
        var result = await identity.ResolveAsync(context, allowQuery: true);
        if (result.Problem is { } problem)
        {
            return Refusal(problem);
        }
        return result.UserId == order.UserId
            ? WatchDecision.Allow()
            : WatchDecision.Refuse($"User {result.UserId} may not watch order {order.Id}: it is another user's order.");
    }

    // 401 (no token, or one not accepted) closes with 4401; 403 (a valid token naming no user) with 4403.
    private static WatchDecision Refusal(IdentityProblem problem) => problem.Status == StatusCodes.Status401Unauthorized
        ? WatchDecision.Unauthenticated(problem.Detail)
        : WatchDecision.Refuse(problem.Detail);
}
