namespace Shop.IntegrationTests.LiveStatus;

public sealed class OrderStatusHubTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Each_user_receives_the_status_changes_of_their_own_orders_only()
    {
        var userA = ShopSystem.NewUserId();
        var userB = ShopSystem.NewUserId();
        await using var clientA = await LiveStatusClient.ConnectAsync(system.Gateway, userA);
        await using var clientB = await LiveStatusClient.ConnectAsync(system.Gateway, userB, asQuery: true);

        await system.Client.TopUpAsync(userA, 500);
        var order = await system.Client.PlaceOrderAsync(userA, 200);
        Assert.Equal("PENDING", order.Status);

        var paid = await clientA.WaitForAsync(order.Id, "PAID");
        Assert.Equal(userA, paid.UserId);
        Assert.Null(paid.Reason);
        // The feed pushes in the order events arrive: once each client has its own later marker, it has all it will get of the order.
        var markerA = await PushMarkerAsync(clientA, userA);
        var markerB = await PushMarkerAsync(clientB, userB);
        Assert.Equal([(order.Id, "PAID"), (markerA, "PAID")], clientA.Received.Select(n => (n.OrderId, n.Status)));
        Assert.Equal([markerB], clientB.Received.Select(n => n.OrderId));
    }

    [Fact]
    public async Task A_failed_order_is_pushed_with_its_reason()
    {
        var user = ShopSystem.NewUserId();
        await using var client = await LiveStatusClient.ConnectAsync(system.Gateway, user);

        var order = await system.Client.PlaceOrderAsync(user, 1000);

        var failed = await client.WaitForAsync(order.Id, "FAILED");
        Assert.Equal(PaymentFailureReasons.AccountNotFound, failed.Reason);
    }

    [Fact]
    public async Task A_client_on_either_gateway_instance_receives_its_events()
    {
        await using var second = await system.StartGatewayAsync(system.Orders.BaseAddress, system.Payments.BaseAddress);
        var user = ShopSystem.NewUserId();
        var other = ShopSystem.NewUserId();
        await using var onFirst = await LiveStatusClient.ConnectAsync(system.Gateway, user);
        await using var onSecond = await LiveStatusClient.ConnectAsync(second, user, asQuery: true);
        await using var otherOnSecond = await LiveStatusClient.ConnectAsync(second, other);

        await system.Client.TopUpAsync(user, 100);
        var secondClient = new ShopClient(new HttpClient { BaseAddress = second.BaseAddress });
        var order = await secondClient.PlaceOrderAsync(user, 100);

        await onFirst.WaitForAsync(order.Id, "PAID");
        await onSecond.WaitForAsync(order.Id, "PAID");
        var marker = await PushMarkerAsync(otherOnSecond, other);
        Assert.Equal([marker], otherOnSecond.Received.Select(n => n.OrderId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("abc")]
    [InlineData("1,2")]
    public async Task The_hub_refuses_a_connection_without_a_valid_user_id(string? userId)
    {
        var url = new Uri(system.Gateway.BaseAddress, "hubs/orders");
        await using var connection = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                if (userId is not null)
                {
                    options.Headers["X-User-ID"] = userId;
                }
            })
            .Build();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task A_refused_negotiation_is_a_problem_in_plain_words()
    {
        using var response = await system.Client.Http.PostAsync("/hubs/orders/negotiate?negotiateVersion=1&userId=zero", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("positive integer", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_event_is_dropped_and_the_feed_keeps_pushing()
    {
        var user = ShopSystem.NewUserId();
        await using var client = await LiveStatusClient.ConnectAsync(system.Gateway, user);
        await using var broker = await system.ConnectBrokerAsync();
        await using var channel = await broker.CreateChannelAsync();
        var route = ShopTopology.RouteOf(typeof(OrderStatusChanged));

        await PublishAsync(channel, route, "{ not json"u8.ToArray());
        await PublishAsync(channel, route, Encoding.UTF8.GetBytes("""{"orderId":"00000000-0000-0000-0000-000000000000","userId":0}"""));
        var change = new OrderStatusChanged(Guid.NewGuid(), user, "PAID", null, DateTimeOffset.UtcNow);
        await PublishAsync(channel, route, JsonSerializer.SerializeToUtf8Bytes(change, ContractsJson.Default.OrderStatusChanged));

        var pushed = await client.WaitForAsync(change.OrderId, "PAID");
        Assert.Equal(user, pushed.UserId);
        await LiveStatusClient.WaitForFeedAsync(system.Gateway);
    }

    [Fact]
    public async Task The_feed_connects_again_after_the_broker_drops_it_and_pushes_resume()
    {
        await using var gateway = await system.StartGatewayAsync(system.Orders.BaseAddress, system.Payments.BaseAddress);
        var user = ShopSystem.NewUserId();
        await using var client = await LiveStatusClient.ConnectAsync(gateway, user);
        var dropped = (await Eventually.UntilAsync(() => FeedConnectionsAsync(gateway), c => c.Count == 1, "the broker to list the feed's connection"))[0];

        // What a broker restart does to every client: the connection is closed under it (CONNECTION_FORCED).
        await system.Management.CloseConnectionAsync(dropped);
        await Eventually.UntilAsync(() => FeedConnectionsAsync(gateway), c => c.Count == 1 && c[0] != dropped,
            "the feed to open a new connection", TimeSpan.FromSeconds(30));
        await LiveStatusClient.WaitForFeedAsync(gateway);

        await system.Client.TopUpAsync(user, 10);
        var order = await new ShopClient(new HttpClient { BaseAddress = gateway.BaseAddress }).PlaceOrderAsync(user, 10);
        await client.WaitForAsync(order.Id, "PAID");
    }

    /// <summary>The broker's names of the connections the gateway's feed holds (its client name carries its queue's name).</summary>
    private async Task<List<string>> FeedConnectionsAsync(AppInstance gateway)
    {
        var feed = gateway.Services.GetServices<IHostedService>().OfType<OrderStatusFeed>().Single();
        return (await system.Management.ConnectionsAsync(system.VirtualHost))
            .Where(c => c.ClientName == $"gateway-{feed.QueueName}").Select(c => c.Name).ToList();
    }

    /// <summary>Publishes a status change of a made-up order for the user, waits for the client to get it, and returns its order id.</summary>
    private async Task<Guid> PushMarkerAsync(LiveStatusClient client, long user)
    {
        await using var broker = await system.ConnectBrokerAsync();
        await using var channel = await broker.CreateChannelAsync();
        var marker = new OrderStatusChanged(Guid.NewGuid(), user, "PAID", null, DateTimeOffset.UtcNow);
        await PublishAsync(channel, ShopTopology.RouteOf(typeof(OrderStatusChanged)),
            JsonSerializer.SerializeToUtf8Bytes(marker, ContractsJson.Default.OrderStatusChanged));
        await client.WaitForAsync(marker.OrderId, "PAID");
        return marker.OrderId;
    }

    private static async Task PublishAsync(IChannel channel, EventRoute route, byte[] body)
    {
        var properties = new BasicProperties
        {
            MessageId = Guid.NewGuid().ToString(),
            Type = route.TypeName,
            ContentType = "application/json",
        };
        await channel.BasicPublishAsync(route.Exchange, route.RoutingKey, mandatory: false, properties, body);
    }
}
