namespace Shop.IntegrationTests.Contract;

/// <summary>Bad input gets a 4xx problem with a clear detail and writes nothing (docs/architecture.md, I16).</summary>
public sealed class BadInputTests(ShopSystem system) : ShopTests
{
    private const string Json = "application/json";

    public static TheoryData<string, string, string, string, string?, string, int> Cases => new()
    {
        // name, method, path, X-User-ID ("" = absent), body (null = none), content type, expected status
        { "missing X-User-ID", "POST", "/orders/orders", "", "{\"amount\":5}", Json, 400 },
        { "X-User-ID not a number", "POST", "/orders/orders", "abc", "{\"amount\":5}", Json, 400 },
        { "missing X-User-ID on one order", "GET", "/orders/orders/0193a5f0-0000-7000-8000-000000000404", "", null, Json, 400 },
        { "X-User-ID zero", "POST", "/payments/account/topup", "0", "{\"amount\":5}", Json, 400 },
        { "X-User-ID negative", "POST", "/payments/account", "-3", null, Json, 400 },
        { "X-User-ID beyond long", "GET", "/orders/orders", "99999999999999999999", null, Json, 400 },
        { "X-User-ID with spaces", "GET", "/payments/account/balance", "1 2", null, Json, 400 },
        { "malformed JSON", "POST", "/orders/orders", "{user}", "{\"amount\":", Json, 400 },
        { "JSON array", "POST", "/payments/account/topup", "{user}", "[500]", Json, 400 },
        { "empty body", "POST", "/orders/orders", "{user}", "", Json, 400 },
        { "wrong content type", "POST", "/orders/orders", "{user}", "{\"amount\":5}", "text/plain", 415 },
        { "form content type", "POST", "/payments/account/topup", "{user}", "amount=5", "application/x-www-form-urlencoded", 415 },
        { "amount missing", "POST", "/orders/orders", "{user}", "{\"price\":5}", Json, 422 },
        { "amount 0", "POST", "/orders/orders", "{user}", "{\"amount\":0}", Json, 422 },
        { "amount -5", "POST", "/payments/account/topup", "{user}", "{\"amount\":-5}", Json, 422 },
        { "amount 1.5", "POST", "/orders/orders", "{user}", "{\"amount\":1.5}", Json, 422 },
        { "amount \"abc\"", "POST", "/payments/account/topup", "{user}", "{\"amount\":\"abc\"}", Json, 422 },
        { "amount \"5\" as a string", "POST", "/orders/orders", "{user}", "{\"amount\":\"5\"}", Json, 422 },
        { "amount beyond the maximum", "POST", "/orders/orders", "{user}", "{\"amount\":1000000001}", Json, 422 },
        { "amount beyond long", "POST", "/payments/account/topup", "{user}", "{\"amount\":99999999999999999999999}", Json, 422 },
        { "amount null", "POST", "/payments/account/topup", "{user}", "{\"amount\":null}", Json, 422 },
        { "oversized body", "POST", "/orders/orders", "{user}", "{\"amount\":5,\"pad\":\"" + new string('x', 20_000) + "\"}", Json, 413 },
        { "deeply nested JSON", "POST", "/orders/orders", "{user}", "{\"amount\":5,\"x\":" + new string('[', 64) + new string(']', 64) + "}", Json, 400 },
        { "unknown order id", "GET", "/orders/orders/0193a5f0-0000-7000-8000-000000000404", "{user}", null, Json, 404 },
        { "order id not a UUID", "GET", "/orders/orders/not-a-uuid", "{user}", null, Json, 404 },
        { "path traversal in the order id", "GET", "/orders/orders/..%2F..%2Fetc%2Fpasswd", "{user}", null, Json, 404 },
        { "balance without an account", "GET", "/payments/account/balance", "{user}", null, Json, 404 },
        { "list limit 0", "GET", "/orders/orders?limit=0", "{user}", null, Json, 400 },
        { "list limit too large", "GET", "/orders/orders?limit=100000", "{user}", null, Json, 400 },
        { "list cursor not a number", "GET", "/orders/orders?before=abc", "{user}", null, Json, 400 },
        { "Idempotency-Key too long", "POST", "/orders/orders", "{user}", "{\"amount\":5}", Json, 400 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_request_gets_a_problem_and_writes_nothing(string name, string method, string path, string userHeader, string? body, string contentType, int expected)
    {
        var user = ShopSystem.NewUserId();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (userHeader.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("X-User-ID", userHeader.Replace("{user}", user.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }
        if (name == "Idempotency-Key too long")
        {
            request.Headers.Add("Idempotency-Key", new string('k', 129));
        }
        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await system.Client.Http.SendAsync(request);

        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expected, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()), $"{name}: the problem has a detail");
        Assert.Equal(0, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));
        Assert.Equal(0, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM accounts WHERE user_id = $1", user));
        Assert.Equal(0, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE user_id = $1", user));
    }

    [Fact]
    public async Task Another_users_order_is_not_found()
    {
        var owner = ShopSystem.NewUserId();
        var order = await system.Client.PlaceOrderAsync(owner, 5);

        using var response = await system.Client.SendAsync(HttpMethod.Get, $"/orders/orders/{order.Id}", ShopSystem.NewUserId());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(await system.Client.ListOrdersAsync(ShopSystem.NewUserId()), o => o.Id == order.Id);
    }
}
