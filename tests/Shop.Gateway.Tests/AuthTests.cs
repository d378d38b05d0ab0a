using Shop.Identity;

namespace Shop.Gateway.Tests;

/// <summary>What the gateway forwards in each mode, seen by echo backends: the user, the function key, and never the client's own.</summary>
public sealed class AuthTests : IAsyncLifetime
{
    private const string FunctionKey = "gateway-tests-function-key-0123456789";
    private readonly string _signingKey = SigningKey.Generate();
    private EchoBackend _orders = null!;
    private EchoBackend _payments = null!;

    public async Task InitializeAsync()
    {
        _orders = await EchoBackend.StartAsync("orders");
        _payments = await EchoBackend.StartAsync("payments");
    }

    public async Task DisposeAsync()
    {
        await _orders.DisposeAsync();
        await _payments.DisposeAsync();
    }

    [Fact]
    public async Task Header_mode_forwards_the_clients_X_User_ID_as_it_is()
    {
        await using var gateway = await GatewayHost.StartAsync(_orders.Address, _payments.Address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/orders");
        request.Headers.Add("X-User-ID", "42");

        var echoed = await SendAsync(gateway, request);

        Assert.Equal("42", echoed.Header("X-User-ID"));
        Assert.Null(echoed.Header("Authorization"));
    }

    [Fact]
    public async Task Jwt_mode_replaces_the_clients_X_User_ID_with_the_token_subject()
    {
        await using var gateway = await GatewayHost.StartAsync(_orders.Address, _payments.Address, "Auth:Mode=Jwt", $"Auth:SigningKey={_signingKey}");
        var token = TokenIssuer.FromBase64(_signingKey).Issue(7, TimeSpan.FromMinutes(5)).Token;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/account/topup") { Content = JsonContent.Create(new { amount = 5 }) };
        request.Headers.Add("Authorization", "Bearer " + token);
        request.Headers.Add("X-User-ID", ["2", "3"]);
        request.Headers.Add("x-user-id", "4");

        var echoed = await SendAsync(gateway, request);

        Assert.Equal("7", echoed.Header("X-User-ID"));
        Assert.Equal("/account/topup", echoed.Path);
    }

    [Fact]
    public async Task The_function_key_of_the_cluster_replaces_any_key_the_client_sends_and_code_is_dropped()
    {
        await using var gateway = await GatewayHost.StartAsync(_orders.Address, _payments.Address,
            $"ReverseProxy:Clusters:orders:Metadata:FunctionKey={FunctionKey}");
        using var toOrders = new HttpRequestMessage(HttpMethod.Get, "/orders/orders?code=guess&limit=5");
        toOrders.Headers.Add("x-functions-key", "guess");
        toOrders.Headers.Add("X-User-ID", "1");
        using var toPayments = new HttpRequestMessage(HttpMethod.Get, "/payments/account/balance?code=guess");
        toPayments.Headers.Add("x-functions-key", "guess");

        var orders = await SendAsync(gateway, toOrders);
        var payments = await SendAsync(gateway, toPayments);

        Assert.Equal(FunctionKey, orders.Header("x-functions-key"));
        Assert.Equal("?limit=5", orders.QueryString);
        Assert.Null(payments.Header("x-functions-key"));
        Assert.Equal("", payments.QueryString);
    }

    [Theory]
    [InlineData("Auth:Mode=Jwt", "exactly one of Auth:SigningKey")]
    [InlineData("Auth:Mode=Jwt|Auth:SigningKey=c2hvcnQ=", "at least 32")]
    [InlineData("Auth:Mode=Jwt|Auth:SigningKey=not base64!", "not base64")]
    [InlineData("Auth:Mode=Jwt|Auth:Authority=http://login.example.test/", "Auth:Authority")]
    [InlineData("Auth:DevTokens=true", "Auth:DevTokens=true needs Auth:Mode=Jwt")]
    [InlineData("Auth:Mode=Jwtt", "Auth")]
    [InlineData("RateLimiting:PerUser:PermitLimit=0", "PermitLimit")]
    public async Task The_gateway_refuses_to_start_with_unusable_identity_or_limit_settings(string settings, string says)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(_orders.Address, _payments.Address, settings.Split('|')));

        Assert.Contains(says, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_request_is_a_429_problem_with_retry_after()
    {
        await using var gateway = await GatewayHost.StartAsync(_orders.Address, _payments.Address,
            "RateLimiting:PerAddress:PermitLimit=2", "RateLimiting:PerAddress:Window=00:01:00");

        using var first = await gateway.Client.GetAsync("/orders/orders");
        using var second = await gateway.Client.GetAsync("/payments/account/balance");
        using var third = await gateway.Client.GetAsync("/orders/orders");
        using var health = await gateway.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(third, HttpStatusCode.TooManyRequests, "/orders/orders");
        Assert.Contains("2 per minute per client address", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.InRange(third.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public void Shipped_settings_are_Header_mode_without_dev_tokens_and_with_limits_far_above_the_load_tool()
    {
        var settings = ShippedSettings.Read();

        Assert.Equal("Header", settings["Auth:Mode"]);
        Assert.Equal("False", settings["Auth:DevTokens"], ignoreCase: true);
        Assert.True(int.Parse(settings["RateLimiting:PerUser:PermitLimit"]!) >= 1000);
        Assert.True(int.Parse(settings["RateLimiting:PerAddress:PermitLimit"]!) >= 10_000);
        Assert.Equal("00:00:01", settings["RateLimiting:PerAddress:Window"]);
    }

    private static async Task<EchoedRequest> SendAsync(GatewayHost gateway, HttpRequestMessage request)
    {
        using var response = await gateway.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<EchoedRequest>())!;
    }
}
