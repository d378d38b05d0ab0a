using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Shop.Gateway.WebSockets;

/// <summary>
/// Identity by X-User-ID (the Header mode), as the original system had it: its page opens the socket with nothing but
/// the order id, so the id itself (a random UUID) is what grants watching. A client that does say who it is (the
/// X-User-ID header, <c>?userId=</c> or <c>?user_id=</c>) must be the order's owner.
/// </summary>
public sealed class HeaderWatchPolicy : IOrderWatchPolicy
{
    public const string Header = "X-User-ID";
    public static readonly string[] QueryParameters = ["userId", "user_id"];

    public ValueTask<WatchDecision> DecideAsync(HttpContext context, OrderSnapshot order, CancellationToken cancellationToken)
    {
        var claims = new List<(string Source, StringValues Values)> { ($"the {Header} header", context.Request.Headers[Header]) };
        claims.AddRange(QueryParameters.Select(name => ($"?{name}=", context.Request.Query[name])));

        long? named = null;
        foreach (var (source, values) in claims.Where(claim => claim.Values.Count > 0))
        {
            if (values.Count > 1
                || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
                || userId <= 0)
            {
                return ValueTask.FromResult(WatchDecision.Refuse($"The user id in {source} must be one positive integer."));
            }
            if (named is { } other && other != userId)
            {
                return ValueTask.FromResult(WatchDecision.Refuse("The request names two different users."));
            }
            named = userId;
        }

        return ValueTask.FromResult(named is { } user && user != order.UserId
            ? WatchDecision.Refuse($"User {user} may not watch order {order.Id}: it is another user's order.")
            : WatchDecision.Allow());
    }
}
