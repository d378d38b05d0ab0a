using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using RabbitMQ.Client;
using Shop.Contracts;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.LiveStatus;

[Collection(ShopCollection.Name)]
public sealed class OrderStatusHubTests(ShopSystem system)
{
    /// <summary>How long a client that should get nothing is watched after the other user's event arrived.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(750);

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
        await Task.Delay(Grace);
        Assert.Equal(["PAID"], clientA.Received.Where(n => n.OrderId == order.Id).Select(n => n.Status));
        Assert.Empty(clientB.Received);
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
        await Task.Delay(Grace);
        Assert.Empty(otherOnSecond.Received);
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
