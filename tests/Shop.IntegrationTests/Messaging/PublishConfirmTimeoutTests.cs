using Shop.Messaging.RabbitMq;

namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// A broker that takes a publish and never confirms it while its connection stays alive, on the real RabbitMQ behind a
/// relay that leaves out its confirms: the publish fails after Messaging:PublishConfirmTimeout naming the message,
/// instead of waiting for ever (and holding the dispatch or the relay with it), and the next publish goes out on a new
/// channel and is confirmed.
/// </summary>
public sealed class PublishConfirmTimeoutTests(MessagingStore store) : IClassFixture<MessagingStore>
{
    // Far beyond the confirm timeout: reached only by a publish that would otherwise wait for ever.
    private static readonly TimeSpan Stuck = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_publish_the_broker_never_confirms_fails_after_the_confirm_timeout_and_the_next_is_confirmed_on_a_new_channel()
    {
        await using var relay = new ConfirmDroppingRelay(TestEnvironment.RabbitMqHost, 5672);
        var viaRelay = new UriBuilder(store.BrokerUri) { Port = relay.Port }.Uri.ToString();
        using var host = store.BuildHost(settings:
        [
            ($"ConnectionStrings:{OrdersExtensions.BrokerConnectionName}", viaRelay),
            ("Messaging:PublishConfirmTimeout", "00:00:01"),
        ]);
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();
        await publisher.PublishAsync(Message(), CancellationToken.None);

        relay.DropConfirms = true;
        var unconfirmed = Message();
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => publisher.PublishAsync(unconfirmed, CancellationToken.None).WaitAsync(Stuck));
        Assert.Equal(1, relay.Dropped);
        Assert.Equal($"The broker did not confirm message {unconfirmed.MessageId} (OrderStatusChanged) within 1 s", failure.Message);

        relay.DropConfirms = false;
        await publisher.PublishAsync(Message(), CancellationToken.None).WaitAsync(Stuck);
    }

    // An event nobody consumes here: the event exchange's alternate exchange takes it, and the broker confirms it.
    private static OutgoingMessage Message()
    {
        var id = Guid.CreateVersion7();
        return new OutgoingMessage(id, "OrderStatusChanged", "shop.orders", "order.status-changed",
            Encoding.UTF8.GetBytes($"{{\"orderId\":\"{id}\",\"userId\":1,\"status\":\"PAID\",\"reason\":null,\"changedAt\":\"2026-01-01T00:00:00Z\"}}"),
            id, TraceParent: null, DateTimeOffset.UtcNow);
    }
}
