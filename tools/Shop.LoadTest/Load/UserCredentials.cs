using Shop.Identity;

namespace Shop.LoadTest.Load;

/// <summary>
/// How the tool says who it acts as: the X-User-ID header (Auth:Mode=Header), or a bearer token it signs per user
/// with the gateway's key (Auth:Mode=Jwt), the same token on REST calls and on the user's hub connection.
/// </summary>
public sealed class UserCredentials : IUserIdentity
{
    // Long enough for any run, its drain and its audit; minted once per user.
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);
    private readonly TokenIssuer? _issuer;
    private readonly ConcurrentDictionary<long, string> _tokens = new();

    private UserCredentials(TokenIssuer? issuer) => _issuer = issuer;

    public static UserCredentials For(LoadTestOptions options) =>
        new(options.SigningKey is null ? null : TokenIssuer.FromBase64(options.SigningKey, options.Issuer, options.Audience));

    public bool UsesTokens => _issuer is not null;

    public string Describe() => UsesTokens ? "bearer tokens signed by the tool (Auth:Mode=Jwt)" : "X-User-ID (Auth:Mode=Header)";

    public void Apply(HttpRequestMessage request, long userId)
    {
        if (_issuer is null)
        {
            request.Headers.Add("X-User-ID", userId.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TokenFor(userId));
        }
    }

    /// <summary>The hub URL's query (?userId=N) in Header mode; empty with tokens, which go through the access token provider.</summary>
    public string HubQuery(long userId) => _issuer is null ? $"?userId={userId.ToString(CultureInfo.InvariantCulture)}" : string.Empty;

    public string? TokenFor(long userId) => _issuer is null ? null : _tokens.GetOrAdd(userId, id => _issuer.Issue(id, TokenLifetime).Token);
}
