namespace Shop.IntegrationTests.LiveStatus;

/// <summary>
/// The original system's plain WebSocket /ws/orders/{id} on the gateway: the current status at once, each change, a
/// close after the final status; an unknown id and a watcher who names another user are refused with a close frame.
/// </summary>
public sealed class OrderWebSocketTests(ShopSystem system) : ShopTests
{
    [Theory]
    [InlineData("ws/orders/{0}")]
    [InlineData("orders/ws/orders/{0}")]
    public async Task The_socket_sends_pending_then_paid_and_closes_after_the_final_status(string route)
    {
        var user = await system.NewUserWithBalanceAsync(100);
        var order = await system.Client.PlaceOrderAsync(user, 40);

        using var socket = await ConnectAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, order.Id));
        var frames = await ReadUntilClosedAsync(socket);

        // PENDING is seen only when the socket opened before Payments answered; PAID always, once, and last.
        Assert.Equal("PAID", frames[^1].GetProperty("status").GetString());
        Assert.Single(frames, frame => frame.GetProperty("status").GetString() == "PAID");
        Assert.All(frames, frame => Assert.Equal(order.Id, frame.GetProperty("orderId").GetGuid()));
        Assert.Equal(40, frames[^1].GetProperty("amount").GetInt64());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal($"Order {order.Id} is PAID.", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task The_owner_naming_himself_watches_a_failing_order_to_its_reason()
    {
        var user = ShopSystem.NewUserId();
        var order = await system.Client.PlaceOrderAsync(user, 40);

        using var socket = await ConnectAsync($"ws/orders/{order.Id}?user_id={user}");
        var frames = await ReadUntilClosedAsync(socket);

        Assert.Equal("FAILED", frames[^1].GetProperty("status").GetString());
        Assert.Equal("account_not_found", frames[^1].GetProperty("reason").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Theory]
    [InlineData("?userId={0}")]
    [InlineData("?user_id={0}")]
    [InlineData("header")]
    public async Task A_foreign_order_id_is_refused_with_a_close_frame(string identity)
    {
        var owner = ShopSystem.NewUserId();
        var stranger = ShopSystem.NewUserId();
        var order = await system.Client.PlaceOrderAsync(owner, 10);

        var query = identity == "header" ? "" : string.Format(System.Globalization.CultureInfo.InvariantCulture, identity, stranger);
        using var socket = await ConnectAsync($"ws/orders/{order.Id}{query}", identity == "header" ? stranger : null);
        var frames = await ReadUntilClosedAsync(socket);

        Assert.Empty(frames);
        Assert.Equal(4403, (int)socket.CloseStatus!.Value);
        Assert.Equal($"User {stranger} may not watch order {order.Id}: it is another user's order.", socket.CloseStatusDescription);
    }

    [Theory]
    [InlineData("0198f3a4-0000-7000-8000-000000000000", "Order 0198f3a4-0000-7000-8000-000000000000 does not exist.")]
    [InlineData("not-an-order", "Order 'not-an-order' does not exist: an order id is a UUID.")]
    public async Task An_unknown_order_id_is_refused_with_a_close_frame(string id, string reason)
    {
        using var socket = await ConnectAsync($"ws/orders/{id}");
        var frames = await ReadUntilClosedAsync(socket);

        Assert.Empty(frames);
        Assert.Equal(4404, (int)socket.CloseStatus!.Value);
        Assert.Equal(reason, socket.CloseStatusDescription);
    }

    [Fact]
    public async Task A_malformed_user_id_is_refused()
    {
        var order = await system.Client.PlaceOrderAsync(ShopSystem.NewUserId(), 10);

        using var socket = await ConnectAsync($"ws/orders/{order.Id}?userId=abc");
        await ReadUntilClosedAsync(socket);

        Assert.Equal(4403, (int)socket.CloseStatus!.Value);
        Assert.Equal("The user id in ?userId= must be one positive integer.", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task A_plain_http_request_to_the_socket_gets_a_426_problem()
    {
        using var response = await system.Client.Http.GetAsync($"ws/orders/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_orders_internal_lookup_is_not_reachable_through_the_gateway()
    {
        var user = ShopSystem.NewUserId();
        var order = await system.Client.PlaceOrderAsync(user, 10);

        using var response = await system.Client.Http.GetAsync($"orders/internal/orders/{order.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // A problem about the path, not the order: nothing of the order (owner, amount, status) comes back.
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(problem.RootElement.TryGetProperty("userId", out _));
        Assert.False(problem.RootElement.TryGetProperty("amount", out _));
    }

    private Task<ClientWebSocket> ConnectAsync(string pathAndQuery, long? userHeader = null) =>
        OrderSocketClient.ConnectAsync(system.Gateway.BaseAddress, pathAndQuery,
            userHeader is { } user ? [("X-User-ID", user.ToString(System.Globalization.CultureInfo.InvariantCulture))] : []);

    private static Task<List<JsonElement>> ReadUntilClosedAsync(ClientWebSocket socket) => OrderSocketClient.ReadUntilClosedAsync(socket);
}
