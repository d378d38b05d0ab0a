using System.Security.Cryptography;

namespace Shop.IntegrationTests.Auth;

/// <summary>
/// Writes a JWT by hand, header and claims as given, so a test can make every token the gateway must refuse:
/// expired, early, unsigned (<c>alg: none</c>), signed with another key or algorithm, for another issuer or audience.
/// </summary>
public static class ForgedToken
{
    public static string Sign(byte[] key, object claims, string alg = "HS256")
    {
        var unsigned = Encode(new { alg, typ = "JWT" }) + "." + Encode(claims);
        var input = Encoding.ASCII.GetBytes(unsigned);
        var signature = alg switch
        {
            "HS256" => HMACSHA256.HashData(key, input),
            "HS384" => HMACSHA384.HashData(key, input),
            "HS512" => HMACSHA512.HashData(key, input),
            _ => throw new ArgumentException($"No HMAC for {alg}.", nameof(alg)),
        };
        return unsigned + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>A token that says it needs no signature (<c>alg: none</c>) and carries none.</summary>
    public static string Unsigned(object claims) => Encode(new { alg = "none", typ = "JWT" }) + "." + Encode(claims) + ".";

    /// <summary>The claims of a token the gateway would accept, with any of them replaced or removed (null).</summary>
    public static Dictionary<string, object?> Claims(long userId, TimeSpan? expiresIn = null, TimeSpan? notBeforeIn = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new Dictionary<string, object?>
        {
            ["sub"] = userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["iss"] = "shop",
            ["aud"] = "shop",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = (now + (notBeforeIn ?? TimeSpan.Zero)).ToUnixTimeSeconds(),
            ["exp"] = (now + (expiresIn ?? TimeSpan.FromMinutes(30))).ToUnixTimeSeconds(),
        };
    }

    public static Dictionary<string, object?> With(this Dictionary<string, object?> claims, string name, object? value)
    {
        var copy = new Dictionary<string, object?>(claims);
        if (value is null)
        {
            copy.Remove(name);
        }
        else
        {
            copy[name] = value;
        }
        return copy;
    }

    private static string Encode(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));
}
