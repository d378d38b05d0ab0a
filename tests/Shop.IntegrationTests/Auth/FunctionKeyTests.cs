using static Shop.IntegrationTests.Auth.AuthProbe;

namespace Shop.IntegrationTests.Auth;

/// <summary>Nobody goes around the gateway: the apps answer their HTTP functions only to a caller with the function key.</summary>
public sealed class FunctionKeyTests(ShopSystem system) : ShopTests
{
    public static TheoryData<string, string, string, string?> AppRoutes => new()
    {
        { "orders", "POST", "/orders", "{\"amount\":5}" },
        { "orders", "GET", "/orders", null },
        { "payments", "POST", "/account", null },
        { "payments", "POST", "/account/topup", "{\"amount\":500}" },
        { "payments", "GET", "/account/balance", null },
    };

    [Theory]
    [MemberData(nameof(AppRoutes))]
    public async Task A_direct_call_without_the_key_is_a_401_problem_and_writes_nothing(string app, string method, string path, string? json)
    {
        var secured = await system.SecuredAsync();
        var user = ShopSystem.NewUserId();
        using var client = new HttpClient { BaseAddress = (app == "orders" ? secured.Orders : secured.Payments).BaseAddress };

        foreach (var key in new[] { null, "", "wrong-key-wrong-key-wrong-key", SecuredShop.FunctionKey.ToUpperInvariant() })
        {
            using var request = Request(new HttpMethod(method), path, json: json, userHeader: Id(user));
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("x-functions-key", key);
            }
            using var response = await client.SendAsync(request);

            var detail = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, $"{app} {method} {path} with key '{key}'");
            Assert.Contains("function key", detail, StringComparison.Ordinal);
        }

        Assert.Equal((0, 0, 0, 0), await RowsAsync(system, user));
    }

    [Fact]
    public async Task A_direct_call_with_the_key_works_in_the_header_or_as_code()
    {
        var secured = await system.SecuredAsync();
        var user = ShopSystem.NewUserId();
        using var payments = new HttpClient { BaseAddress = secured.Payments.BaseAddress };
        using var orders = new HttpClient { BaseAddress = secured.Orders.BaseAddress };

        using var topUp = Request(HttpMethod.Post, "/account/topup", json: "{\"amount\":70}", userHeader: Id(user));
        topUp.Headers.Add("x-functions-key", SecuredShop.FunctionKey);
        var account = await ReadJsonAsync(await payments.SendAsync(topUp), HttpStatusCode.OK);
        var listed = await ReadJsonAsync(
            await orders.SendAsync(Request(HttpMethod.Get, $"/orders?code={Uri.EscapeDataString(SecuredShop.FunctionKey)}", userHeader: Id(user))), HttpStatusCode.OK);

        Assert.Equal(70, account.GetProperty("balance").GetInt64());
        Assert.Equal(0, listed.GetArrayLength());
        Assert.Equal((0, 1, 1, 70), await RowsAsync(system, user));
    }

    [Fact]
    public async Task The_internal_order_lookup_answers_only_with_the_key()
    {
        var user = ShopSystem.NewUserId();
        var order = await system.Client.PlaceOrderAsync(user, 10);
        using var orders = new HttpClient { BaseAddress = system.Orders.BaseAddress };
        var path = $"/internal/orders/{order.Id}";

        foreach (var key in new[] { null, "", "wrong-key-wrong-key-wrong-key", ShopSystem.FunctionKey.ToUpperInvariant() })
        {
            using var request = Request(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("x-functions-key", key);
            }
            using var response = await orders.SendAsync(request);

            var detail = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, $"GET {path} with key '{key}'");
            Assert.Contains("function key", detail, StringComparison.Ordinal);
            Assert.DoesNotContain(Id(user), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var keyed = Request(HttpMethod.Get, path);
        keyed.Headers.Add("x-functions-key", ShopSystem.FunctionKey);
        var found = await ReadJsonAsync(await orders.SendAsync(keyed), HttpStatusCode.OK);
        Assert.Equal(order.Id, found.GetProperty("id").GetGuid());
        Assert.Equal(user, found.GetProperty("userId").GetInt64());
    }

    [Fact]
    public async Task The_order_socket_of_a_gateway_without_the_key_cannot_read_the_order()
    {
        var user = ShopSystem.NewUserId();
        var order = await system.Client.PlaceOrderAsync(user, 10);
        await using var keyless = await system.StartGatewayAsync(system.Orders.BaseAddress, system.Payments.BaseAddress,
            "--ReverseProxy:Clusters:orders:Metadata:FunctionKey=", "--ReverseProxy:Clusters:payments:Metadata:FunctionKey=");

        using var socket = await OrderSocketClient.ConnectAsync(keyless.BaseAddress, $"ws/orders/{order.Id}");
        var frames = await OrderSocketClient.ReadUntilClosedAsync(socket);

        // The same socket on the system's own gateway, which holds the key, watches this order (OrderWebSocketTests).
        Assert.Empty(frames);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.InternalServerError, socket.CloseStatus);
        Assert.Equal("The order service is unavailable; try again shortly.", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Health_needs_no_key()
    {
        var secured = await system.SecuredAsync();

        foreach (var app in new[] { secured.Orders, secured.Payments })
        {
            using var client = new HttpClient { BaseAddress = app.BaseAddress };
            using var response = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_key_the_client_sends_through_the_gateway_never_reaches_the_app()
    {
        var secured = await system.SecuredAsync();
        var user = ShopSystem.NewUserId();
        // A gateway that holds no key in front of the keyed apps: the client's own key is all that could open them.
        await using var keyless = await system.StartGatewayAsync(secured.Orders.BaseAddress, secured.Payments.BaseAddress,
            "--ReverseProxy:Clusters:orders:Metadata:FunctionKey=", "--ReverseProxy:Clusters:payments:Metadata:FunctionKey=");
        using var client = new HttpClient { BaseAddress = keyless.BaseAddress };

        using var withHeader = Request(HttpMethod.Post, "/payments/account/topup", json: "{\"amount\":10}", userHeader: Id(user));
        withHeader.Headers.Add("x-functions-key", SecuredShop.FunctionKey);
        using var headerResponse = await client.SendAsync(withHeader);
        using var codeResponse = await client.SendAsync(Request(HttpMethod.Post, $"/payments/account/topup?code={Uri.EscapeDataString(SecuredShop.FunctionKey)}",
            json: "{\"amount\":10}", userHeader: Id(user)));

        await AssertProblemAsync(headerResponse, HttpStatusCode.Unauthorized, "client's x-functions-key through a keyless gateway");
        await AssertProblemAsync(codeResponse, HttpStatusCode.Unauthorized, "client's ?code= through a keyless gateway");
        Assert.Equal((0, 0, 0, 0), await RowsAsync(system, user));
    }
}
