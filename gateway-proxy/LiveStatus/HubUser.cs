using System.Globalization;
using System.Security.Claims;

namespace Shop.Gateway.LiveStatus;

/// <summary>
/// Who a hub connection belongs to, as <see cref="Auth.IRequestIdentity"/> resolved it. Carried as a claim so it also
/// survives Azure SignalR's redirect.
/// </summary>
internal static class HubUser
{
    public const string ClaimType = "shop:user_id";
    public const string AuthenticationType = "X-User-ID";

    public static string Group(long userId) => $"user:{userId.ToString(CultureInfo.InvariantCulture)}";

    public static ClaimsPrincipal Principal(long userId) =>
        new(new ClaimsIdentity([new Claim(ClaimType, userId.ToString(CultureInfo.InvariantCulture))], AuthenticationType));

    public static bool TryGetUserId(ClaimsPrincipal? principal, out long userId)
    {
        userId = 0;
        var value = principal?.FindFirst(ClaimType)?.Value;
        return value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out userId) && userId > 0;
    }
}
