using Shop.Identity;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// Orders and Payments that answer only callers with the function key, and a gateway in Auth:Mode=Jwt (HS256 with a
/// key of this run, dev tokens on) that sends that key: the deployed shape, on the run's databases and broker.
/// </summary>
public sealed class SecuredShop
{
    public const string FunctionKey = "integration-tests-function-key-0123456789";

    private SecuredShop(string signingKey, AppInstance orders, AppInstance payments, AppInstance gateway)
    {
        SigningKey = signingKey;
        Tokens = TokenIssuer.FromBase64(signingKey);
        Orders = orders;
        Payments = payments;
        Gateway = gateway;
        Http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string SigningKey { get; }

    /// <summary>Signs tokens as the token tool does, with this run's key, issuer "shop" and audience "shop".</summary>
    public TokenIssuer Tokens { get; }

    public AppInstance Orders { get; }
    public AppInstance Payments { get; }
    public AppInstance Gateway { get; }

    /// <summary>A client of the Jwt gateway; each request names its own token.</summary>
    public HttpClient Http { get; }

    public string TokenFor(long userId) => Tokens.Issue(userId, TimeSpan.FromMinutes(30)).Token;

    /// <summary>Settings of a Jwt gateway that reaches these apps with their key, plus <paramref name="more"/>.</summary>
    public string[] GatewaySettings(params string[] more) =>
    [
        "--Auth:Mode=Jwt",
        $"--Auth:SigningKey={SigningKey}",
        $"--ReverseProxy:Clusters:orders:Metadata:FunctionKey={FunctionKey}",
        $"--ReverseProxy:Clusters:payments:Metadata:FunctionKey={FunctionKey}",
        .. more,
    ];

    public Task<AppInstance> StartGatewayAsync(ShopSystem system, params string[] more) =>
        system.StartGatewayAsync(Orders.BaseAddress, Payments.BaseAddress, GatewaySettings(more));

    internal static async Task<SecuredShop> StartAsync(ShopSystem system)
    {
        var signingKey = Shop.Identity.SigningKey.Generate();
        var orders = await system.StartOrdersAsync(settings: $"--Functions:HostKey={FunctionKey}");
        var payments = await system.StartPaymentsAsync(settings: $"--Functions:HostKey={FunctionKey}");
        var gateway = await system.StartGatewayAsync(orders.BaseAddress, payments.BaseAddress,
        [
            "--Auth:Mode=Jwt",
            $"--Auth:SigningKey={signingKey}",
            "--Auth:DevTokens=true",
            $"--ReverseProxy:Clusters:orders:Metadata:FunctionKey={FunctionKey}",
            $"--ReverseProxy:Clusters:payments:Metadata:FunctionKey={FunctionKey}",
        ]);
        return new SecuredShop(signingKey, orders, payments, gateway);
    }
}
