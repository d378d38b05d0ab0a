using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Identity;

/// <summary>
/// Mints HS256 tokens the gateway accepts in <c>Auth:Mode=Jwt</c> with <c>Auth:SigningKey</c>: <c>sub</c> = the user
/// id, the configured issuer and audience, issued now and valid for the given lifetime.
/// </summary>
public sealed class TokenIssuer
{
    private readonly SigningCredentials _credentials;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TokenIssuer(byte[] key, string issuer = ShopTokens.DefaultIssuer, string audience = ShopTokens.DefaultAudience, TimeProvider? time = null)
    {
        if (key.Length < ShopTokens.MinimumKeyBytes)
        {
            throw new ArgumentException($"HS256 needs a key of at least {ShopTokens.MinimumKeyBytes} bytes.", nameof(key));
        }
        _credentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256);
        _issuer = issuer;
        _audience = audience;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>An issuer from the base64 key of configuration; throws <see cref="ArgumentException"/> naming what is wrong with it.</summary>
    public static TokenIssuer FromBase64(string? signingKey, string issuer = ShopTokens.DefaultIssuer, string audience = ShopTokens.DefaultAudience,
        TimeProvider? time = null) =>
        SigningKey.TryDecode(signingKey, out var key, out var problem)
            ? new TokenIssuer(key, issuer, audience, time)
            : throw new ArgumentException($"Cannot sign tokens: {problem}.", nameof(signingKey));

    public IssuedToken Issue(long userId, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(userId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        // JWT times are whole seconds (NumericDate); the expiry reported is the one in the token.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresAt = issuedAt + TimeSpan.FromSeconds(Math.Ceiling(lifetime.TotalSeconds));
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = _audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            Claims = new Dictionary<string, object> { [ShopTokens.UserIdClaim] = userId.ToString(CultureInfo.InvariantCulture) },
            SigningCredentials = _credentials,
        });
        return new IssuedToken(token, userId, expiresAt);
    }
}
