using System.Globalization;
using Shop.Identity;

namespace Shop.Admin;

/// <summary>
/// <c>token --user N [--minutes M] [--key BASE64] [--issuer I] [--audience A]</c>: a token the gateway accepts in
/// Auth:Mode=Jwt, signed with Auth:SigningKey (from --key, else the environment's Auth__SigningKey).
/// </summary>
public sealed record TokenCommand(long UserId, TimeSpan Lifetime, string SigningKey, string Issuer, string Audience)
{
    public const int DefaultMinutes = 60;

    /// <param name="environment">Reads a variable of the environment (Auth__SigningKey, Auth__Issuer, Auth__Audience).</param>
    public static TokenCommand Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        long? user = null;
        var minutes = (double)DefaultMinutes;
        string? key = null, issuer = null, audience = null;
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--user":
                    user = long.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                        ? id
                        : throw new ArgumentException("--user must be a positive integer.");
                    break;
                case "--minutes":
                    minutes = double.TryParse(Value(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0 && m <= 60 * 24 * 365
                        ? m
                        : throw new ArgumentException("--minutes must be a positive number of minutes, at most a year.");
                    break;
                case "--key":
                    key = Value(args, ref i);
                    break;
                case "--issuer":
                    issuer = Value(args, ref i);
                    break;
                case "--audience":
                    audience = Value(args, ref i);
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]} for 'token'.");
            }
        }
        key ??= environment("Auth__SigningKey");
        if (user is null)
        {
            throw new ArgumentException("'token' needs --user N.");
        }
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException("'token' needs the gateway's signing key: --key BASE64, or Auth__SigningKey in the environment.");
        }
        if (!Shop.Identity.SigningKey.TryDecode(key, out _, out var problem))
        {
            throw new ArgumentException($"The signing key is unusable: {problem}.");
        }
        return new TokenCommand(user.Value, TimeSpan.FromMinutes(minutes), key,
            issuer ?? NonEmpty(environment("Auth__Issuer")) ?? ShopTokens.DefaultIssuer,
            audience ?? NonEmpty(environment("Auth__Audience")) ?? ShopTokens.DefaultAudience);
    }

    /// <summary>Prints the token alone on standard output (for $(…)), and when it expires on standard error.</summary>
    public int Run(TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        var token = TokenIssuer.FromBase64(SigningKey, Issuer, Audience, time).Issue(UserId, Lifetime);
        output.WriteLine(token.Token);
        error.WriteLine($"token for user {UserId}, valid until {token.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)}");
        return 0;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
}
