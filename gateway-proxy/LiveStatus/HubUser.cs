using System.Globalization;
using System.Security.Claims;

namespace Shop.Gateway.LiveStatus;

/// <summary>
/// Who a hub connection belongs to: the X-User-ID header, as on the REST API, or <c>?userId=</c> for browsers,
/// which cannot set headers on a WebSocket. Carried as a claim so it also survives Azure SignalR's redirect.
/// </summary>
internal static class HubUser
{
    public const string Header = "X-User-ID";
    public const string QueryParameter = "userId";
    public const string ClaimType = "shop:user_id";
    public const string AuthenticationType = "X-User-ID";

    public static string Group(long userId) => $"user:{userId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads the user id from the request; false (with a plain-words reason) when there is none or it is not one positive integer.</summary>
    public static bool TryRead(HttpRequest request, out long userId, out string problem)
    {
        userId = 0;
        problem = string.Empty;
        var values = request.Headers[Header];
        var source = $"the {Header} header";
        if (values.Count == 0)
        {
            values = request.Query[QueryParameter];
            source = $"the query parameter '{QueryParameter}'";
        }
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            problem = $"The hub needs the user: send the {Header} header, or ?{QueryParameter}= from a browser, with a positive integer.";
            return false;
        }
        if (values.Count > 1
            || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out userId)
            || userId <= 0)
        {
            userId = 0;
            problem = $"The user id in {source} must be one positive integer.";
            return false;
        }
        return true;
    }

    public static ClaimsPrincipal Principal(long userId) =>
        new(new ClaimsIdentity([new Claim(ClaimType, userId.ToString(CultureInfo.InvariantCulture))], AuthenticationType));

    public static bool TryGetUserId(ClaimsPrincipal? principal, out long userId)
    {
        userId = 0;
        var value = principal?.FindFirst(ClaimType)?.Value;
        return value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out userId) && userId > 0;
    }
}
