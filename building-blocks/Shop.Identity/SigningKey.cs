using System.Security.Cryptography;

namespace Shop.Identity;

/// <summary>The shared HS256 key, written as base64 in configuration (<c>Auth:SigningKey</c>).</summary>
public static class SigningKey
{
    /// <summary>Decodes the key; false, with a plain-words reason, when it is not base64 or shorter than <see cref="ShopTokens.MinimumKeyBytes"/> bytes.</summary>
    public static bool TryDecode(string? base64, out byte[] key, out string problem)
    {
        key = [];
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(base64))
        {
            problem = "the signing key is empty";
            return false;
        }
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            problem = "the signing key is not base64";
            return false;
        }
        if (key.Length < ShopTokens.MinimumKeyBytes)
        {
            problem = $"the signing key has {key.Length} bytes; HS256 needs at least {ShopTokens.MinimumKeyBytes}";
            key = [];
            return false;
        }
        return true;
    }

    /// <summary>A fresh random key of 32 bytes, as base64.</summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(ShopTokens.MinimumKeyBytes));
}
