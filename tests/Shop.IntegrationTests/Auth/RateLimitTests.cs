using static Shop.IntegrationTests.Auth.AuthProbe;

namespace Shop.IntegrationTests.Auth;

/// <summary>The gateway's per-user and per-address budgets on the real system: 429 problem with Retry-After beyond them, nothing written.</summary>
public sealed class RateLimitTests(ShopSystem system) : ShopTests
{
    // Windows of a minute: a budget the test spends cannot refill before the test has seen the refusal.
    private const string Minute = "00:01:00";

    [Fact]
    public async Task Beyond_the_per_user_budget_a_request_is_a_429_problem_with_retry_after_and_writes_nothing()
    {
        await using var gateway = await system.StartGatewayAsync(system.Orders.BaseAddress, system.Payments.BaseAddress,
            "--RateLimiting:PerUser:PermitLimit=3", $"--RateLimiting:PerUser:Window={Minute}");
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        var user = ShopSystem.NewUserId();
        var other = ShopSystem.NewUserId();

        for (var i = 1; i <= 3; i++)
        {
            var account = await ReadJsonAsync(await client.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", json: "{\"amount\":10}", userHeader: Id(user))), HttpStatusCode.OK);
            Assert.Equal(10 * i, account.GetProperty("balance").GetInt64());
        }
        using var refused = await client.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", json: "{\"amount\":10}", userHeader: Id(user)));
        using var refusedOrder = await client.SendAsync(Request(HttpMethod.Post, "/orders/orders", json: "{\"amount\":10}", userHeader: Id(user)));
        var underBudget = await ReadJsonAsync(await client.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", json: "{\"amount\":10}", userHeader: Id(other))), HttpStatusCode.OK);

        var detail = await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "fourth top-up");
        await AssertProblemAsync(refusedOrder, HttpStatusCode.TooManyRequests, "order after the budget");
        Assert.Contains("3 per minute per user", detail, StringComparison.Ordinal);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal((0, 1, 3, 30), await RowsAsync(system, user));
        Assert.Equal(10, underBudget.GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task The_per_address_budget_holds_whatever_user_or_forwarded_address_the_client_claims()
    {
        await using var gateway = await system.StartGatewayAsync(system.Orders.BaseAddress, system.Payments.BaseAddress,
            "--RateLimiting:PerAddress:PermitLimit=4", $"--RateLimiting:PerAddress:Window={Minute}");
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        var users = Enumerable.Range(0, 5).Select(_ => ShopSystem.NewUserId()).ToList();

        for (var i = 0; i < 4; i++)
        {
            using var request = Request(HttpMethod.Post, "/payments/account/topup", json: "{\"amount\":10}", userHeader: Id(users[i]));
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            await ReadJsonAsync(await client.SendAsync(request), HttpStatusCode.OK);
        }
        using var fifth = Request(HttpMethod.Post, "/payments/account/topup", json: "{\"amount\":10}", userHeader: Id(users[4]));
        fifth.Headers.Add("X-Forwarded-For", "198.51.100.77");
        fifth.Headers.Add("X-Real-IP", "198.51.100.78");
        using var refused = await client.SendAsync(fifth);
        using var health = await client.GetAsync("/health");

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "fifth request from one address");
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal((0, 0, 0, 0), await RowsAsync(system, users[4]));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task In_Jwt_mode_the_budget_follows_the_token_subject_not_the_X_User_ID_the_client_writes()
    {
        var secured = await system.SecuredAsync();
        await using var gateway = await secured.StartGatewayAsync(system, "--RateLimiting:PerUser:PermitLimit=2", $"--RateLimiting:PerUser:Window={Minute}");
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        var user = ShopSystem.NewUserId();
        var token = Bearer(secured.TokenFor(user));

        await ReadJsonAsync(await client.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", token, "{\"amount\":10}", Id(ShopSystem.NewUserId()))), HttpStatusCode.OK);
        await ReadJsonAsync(await client.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", token, "{\"amount\":10}", Id(ShopSystem.NewUserId()))), HttpStatusCode.OK);
        using var refused = await client.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", token, "{\"amount\":10}", Id(ShopSystem.NewUserId())));

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "third top-up of one token");
        Assert.Equal((0, 1, 2, 20), await RowsAsync(system, user));
    }
}
