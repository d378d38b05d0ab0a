using Microsoft.AspNetCore.Http.Connections;
using static Shop.IntegrationTests.Auth.AuthProbe;

namespace Shop.IntegrationTests.Auth;

/// <summary>The hub in Auth:Mode=Jwt: a connection is its token's user's, whatever ?userId= or X-User-ID say.</summary>
public sealed class JwtHubTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task A_connection_receives_its_token_users_events_and_never_another_users_even_when_it_asks_for_them()
    {
        var secured = await system.SecuredAsync();
        var a = ShopSystem.NewUserId();
        var b = ShopSystem.NewUserId();
        await LiveStatusClient.WaitForFeedAsync(secured.Gateway);
        // A's token, asking for B through every channel the Header mode listens to.
        await using var aAsksForB = await ConnectAsync(secured, $"hubs/orders?userId={b}", options =>
        {
            options.AccessTokenProvider = () => Task.FromResult<string?>(secured.TokenFor(a));
            options.Headers["X-User-ID"] = Id(b);
        });
        // B's own connection, the way the browser's SignalR client sends a token on a WebSocket: ?access_token=.
        await using var bInBrowserStyle = await ConnectAsync(secured, $"hubs/orders?access_token={secured.TokenFor(b)}", options =>
        {
            options.SkipNegotiation = true;
            options.Transports = HttpTransportType.WebSockets;
        });

        var bToken = Bearer(secured.TokenFor(b));
        await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", bToken, "{\"amount\":100}")), HttpStatusCode.OK);
        var bPaid = await PlaceAsync(secured, bToken, 60);
        var bFailed = await PlaceAsync(secured, bToken, 1000);
        var aToken = Bearer(secured.TokenFor(a));
        await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", aToken, "{\"amount\":30}")), HttpStatusCode.OK);
        var aPaid = await PlaceAsync(secured, aToken, 30);

        await bInBrowserStyle.WaitForAsync(bPaid, "PAID");
        await bInBrowserStyle.WaitForAsync(bFailed, "FAILED");
        var pushed = await aAsksForB.WaitForAsync(aPaid, "PAID");
        // The feed pushes in the order events arrive: once A's connection has a later order of A's, it has all it will get of B's.
        var aMarker = await PlaceAsync(secured, aToken, 1000);
        await aAsksForB.WaitForAsync(aMarker, "FAILED");
        Assert.Equal(a, pushed.UserId);
        Assert.All(aAsksForB.Received, n => Assert.Equal(a, n.UserId));
        Assert.DoesNotContain(aAsksForB.Received, n => n.OrderId == bPaid || n.OrderId == bFailed);
        Assert.All(bInBrowserStyle.Received, n => Assert.Equal(b, n.UserId));
    }

    [Theory]
    [InlineData("no token", HttpStatusCode.Unauthorized)]
    [InlineData("?userId= only", HttpStatusCode.Unauthorized)]
    [InlineData("X-User-ID only", HttpStatusCode.Unauthorized)]
    [InlineData("expired token", HttpStatusCode.Unauthorized)]
    [InlineData("token signed with another key", HttpStatusCode.Unauthorized)]
    [InlineData("garbage in ?access_token=", HttpStatusCode.Unauthorized)]
    [InlineData("subject not a number", HttpStatusCode.Forbidden)]
    public async Task The_hub_refuses_a_connection_without_an_accepted_token(string how, HttpStatusCode status)
    {
        var secured = await system.SecuredAsync();
        var user = ShopSystem.NewUserId();
        var key = Convert.FromBase64String(secured.SigningKey);
        var path = how switch
        {
            "?userId= only" => $"hubs/orders?userId={user}",
            "garbage in ?access_token=" => "hubs/orders?access_token=not-a-token",
            _ => "hubs/orders",
        };
        string? token = how switch
        {
            "expired token" => ForgedToken.Sign(key, ForgedToken.Claims(user, expiresIn: TimeSpan.FromHours(-1), notBeforeIn: TimeSpan.FromHours(-2))),
            "token signed with another key" => ForgedToken.Sign(Convert.FromBase64String(Shop.Identity.SigningKey.Generate()), ForgedToken.Claims(user)),
            "subject not a number" => ForgedToken.Sign(key, ForgedToken.Claims(user).With("sub", "someone")),
            _ => null,
        };
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(secured.Gateway.BaseAddress, path), options =>
            {
                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
                if (how == "X-User-ID only")
                {
                    options.Headers["X-User-ID"] = Id(user);
                }
            })
            .Build();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(status, refused.StatusCode);
    }

    [Fact]
    public async Task A_refused_negotiation_is_a_problem_with_a_bearer_challenge()
    {
        var secured = await system.SecuredAsync();

        using var response = await secured.Http.PostAsync($"/hubs/orders/negotiate?negotiateVersion=1&userId={ShopSystem.NewUserId()}", null);

        var detail = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "negotiate without a token");
        Assert.Contains("access_token", detail, StringComparison.Ordinal);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    private static async Task<Guid> PlaceAsync(SecuredShop secured, string token, long amount)
    {
        var placed = await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/orders/orders", token, $"{{\"amount\":{amount}}}")), HttpStatusCode.Created);
        return placed.GetProperty("id").GetGuid();
    }

    private static Task<LiveStatusClient> ConnectAsync(SecuredShop secured, string path, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions> configure) =>
        LiveStatusClient.StartAsync(new HubConnectionBuilder().WithUrl(new Uri(secured.Gateway.BaseAddress, path), configure).Build());
}
