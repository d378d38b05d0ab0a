using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Shop.Gateway.LiveStatus;

namespace Shop.Gateway.Auth;

/// <inheritdoc />
internal sealed class RequestIdentity(IOptions<AuthOptions> options) : IRequestIdentity
{
    public const string UserHeader = "X-User-ID";
    public const string UserQueryParameter = "userId";
    public const string TokenQueryParameter = "access_token";

    private static readonly object ResultKey = new();

    public AuthMode Mode => options.Value.Mode;

    public IdentityResult? Resolved(HttpContext context) => context.Items.TryGetValue(ResultKey, out var result) ? (IdentityResult?)result : null;

    public async ValueTask<IdentityResult> ResolveAsync(HttpContext context, bool allowQuery = false)
    {
        if (Resolved(context) is { } known)
        {
            return known;
        }
        var result = Mode == AuthMode.Jwt ? await FromTokenAsync(context, allowQuery) : FromHeader(context.Request, allowQuery);
        context.Items[ResultKey] = result;
        return result;
    }

    private static IdentityResult FromHeader(HttpRequest request, bool allowQuery)
    {
        var values = request.Headers[UserHeader];
        var source = $"the {UserHeader} header";
        if (values.Count == 0 && allowQuery)
        {
            values = request.Query[UserQueryParameter];
            source = $"the query parameter '{UserQueryParameter}'";
        }
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            return IdentityResult.Refused(IdentityProblem.BadUser(allowQuery
                ? $"The hub needs the user: send the {UserHeader} header, or ?{UserQueryParameter}= from a browser, with a positive integer."
                : $"Send the {UserHeader} header with the user id, a positive integer."));
        }
        return values.Count == 1 && TryParseUserId(values[0], out var userId)
            ? IdentityResult.User(userId)
            : IdentityResult.Refused(IdentityProblem.BadUser($"The user id in {source} must be one positive integer."));
    }

    private async Task<IdentityResult> FromTokenAsync(HttpContext context, bool allowQuery)
    {
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result.None)
        {
            return IdentityResult.Refused(IdentityProblem.NoToken(allowQuery
                ? $"Sign in first: send Authorization: Bearer <token>, or ?{TokenQueryParameter}=<token> on a WebSocket."
                : "Sign in first: send Authorization: Bearer <token>."));
        }
        if (!result.Succeeded)
        {
            return IdentityResult.Refused(Describe(result.Failure));
        }
        var claim = options.Value.UserIdClaim;
        var subjects = result.Principal.FindAll(claim).ToList();
        return subjects.Count == 1 && TryParseUserId(subjects[0].Value, out var userId)
            ? IdentityResult.User(userId)
            : IdentityResult.Refused(IdentityProblem.NoUser(
                $"The token is valid but names no user of this shop: its '{claim}' claim must be one positive integer (the user id)."));
    }

    // Each failure the bearer handler reports, in plain words; the challenge carries a short, quote-free description (RFC 6750 §3).
    private static IdentityProblem Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException expired => IdentityProblem.InvalidToken(
            $"The token expired at {expired.Expires.ToString("O", CultureInfo.InvariantCulture)}; sign in again.", "The token expired"),
        SecurityTokenNotYetValidException early => IdentityProblem.InvalidToken(
            $"The token is not valid before {early.NotBefore.ToString("O", CultureInfo.InvariantCulture)}.", "The token is not valid yet"),
        SecurityTokenInvalidAudienceException => IdentityProblem.InvalidToken(
            "The token is not meant for this shop: its audience is wrong.", "The audience is invalid"),
        SecurityTokenInvalidIssuerException => IdentityProblem.InvalidToken(
            "The token was not issued by the issuer this shop trusts.", "The issuer is invalid"),
        SecurityTokenInvalidAlgorithmException => IdentityProblem.InvalidToken(
            "The token is signed with an algorithm this shop does not accept.", "The algorithm is not accepted"),
        SecurityTokenNoExpirationException => IdentityProblem.InvalidToken(
            "The token has no expiry; this shop accepts only tokens that expire.", "The token has no expiry"),
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => IdentityProblem.InvalidToken(
            "The token's signature is missing or not valid.", "The signature is invalid"),
        _ => IdentityProblem.InvalidToken("The token is malformed: it is not a signed JWT this shop can read.", "The token is malformed"),
    };

    /// <summary>The hub's requests and WebSocket upgrades: the bearer handler takes their token from ?access_token= too.</summary>
    internal static bool MayCarryTokenInQuery(HttpContext context) =>
        context.Request.Path.StartsWithSegments(OrdersHub.Path, StringComparison.OrdinalIgnoreCase) || context.WebSockets.IsWebSocketRequest;

    internal static bool TryParseUserId(string? value, out long userId) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out userId) && userId > 0;
}
