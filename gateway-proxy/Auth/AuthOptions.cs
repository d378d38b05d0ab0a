using System.ComponentModel.DataAnnotations;
using Shop.Identity;

namespace Shop.Gateway.Auth;

/// <summary>How the gateway knows who a request comes from (section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary><see cref="AuthMode.Header"/> (default: the client's X-User-ID) or <see cref="AuthMode.Jwt"/> (a validated bearer token).</summary>
    public AuthMode Mode { get; set; } = AuthMode.Header;

    /// <summary>Base64 key of at least 32 bytes: Jwt mode accepts HS256 tokens signed with it (self-hosting, tests, the token tool).</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect authority (Entra ID, Keycloak, …): Jwt mode accepts the tokens it signs, its keys read from its metadata.</summary>
    public string? Authority { get; set; }

    /// <summary>False only for an authority on plain http (a local test provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The <c>iss</c> a token signed with <see cref="SigningKey"/> must carry; with an authority, the authority's own issuer applies.</summary>
    [Required]
    public string Issuer { get; set; } = ShopTokens.DefaultIssuer;

    /// <summary>The <c>aud</c> every token must carry.</summary>
    [Required]
    public string Audience { get; set; } = ShopTokens.DefaultAudience;

    /// <summary>The claim holding the user id (a positive integer). An OIDC provider can map the shop's user id into a claim of its own.</summary>
    [Required]
    public string UserIdClaim { get; set; } = ShopTokens.UserIdClaim;

    /// <summary>How far the clocks of the token's issuer and the gateway may disagree on expiry and not-before.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Serve <c>POST /auth/dev-token</c>: a token for any user id, to anyone. Never on a shop with real users.</summary>
    public bool DevTokens { get; set; }

    /// <summary>Lifetime of a token from <c>POST /auth/dev-token</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public bool HasAuthority => !string.IsNullOrWhiteSpace(Authority);

    public bool HasSigningKey => !string.IsNullOrWhiteSpace(SigningKey);
}
