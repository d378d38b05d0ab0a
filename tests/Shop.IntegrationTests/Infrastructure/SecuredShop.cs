using Shop.Identity;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// A gateway in Auth:Mode=Jwt (HS256 with a key of this run, dev tokens on) in front of the run's apps, which, like
/// every app of <see cref="ShopSystem"/>, answer only callers with the function key the gateways send.
/// </summary>
public sealed class SecuredShop
{
    public const string FunctionKey = ShopSystem.FunctionKey;

    private readonly ShopSystem _system;

    private SecuredShop(ShopSystem system, string signingKey, AppInstance gateway)
    {
        _system = system;
        SigningKey = signingKey;
        Tokens = TokenIssuer.FromBase64(signingKey);
        Gateway = gateway;
        Http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string SigningKey { get; }

    /// <summary>Signs tokens as the token tool does, with this run's key, issuer "shop" and audience "shop".</summary>
    public TokenIssuer Tokens { get; }

    /// <summary>The run's apps (a test may have replaced them on the same port).</summary>
    public AppInstance Orders => _system.Orders;
    public AppInstance Payments => _system.Payments;
    public AppInstance Gateway { get; }

    /// <summary>A client of the Jwt gateway; each request names its own token.</summary>
    public HttpClient Http { get; }

    public string TokenFor(long userId) => Tokens.Issue(userId, TimeSpan.FromMinutes(30)).Token;

    /// <summary>Another Jwt gateway with this run's signing key, plus <paramref name="more"/> settings.</summary>
    public Task<AppInstance> StartGatewayAsync(ShopSystem system, params string[] more) =>
        system.StartGatewayAsync(Orders.BaseAddress, Payments.BaseAddress, ["--Auth:Mode=Jwt", $"--Auth:SigningKey={SigningKey}", .. more]);

    internal static async Task<SecuredShop> StartAsync(ShopSystem system)
    {
        var signingKey = Shop.Identity.SigningKey.Generate();
        var gateway = await system.StartGatewayAsync(system.Orders.BaseAddress, system.Payments.BaseAddress,
            "--Auth:Mode=Jwt", $"--Auth:SigningKey={signingKey}", "--Auth:DevTokens=true");
        return new SecuredShop(system, signingKey, gateway);
    }
}
