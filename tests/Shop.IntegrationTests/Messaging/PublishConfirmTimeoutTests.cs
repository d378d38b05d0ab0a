using RabbitMQ.Client.Exceptions;
using Shop.IntegrationTests.Observability;
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
        using var host = BuildHost(relay);
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();
        var connection = host.Services.GetRequiredService<RabbitMqConnection>();
        using var spans = new PublishSpans();
        await publisher.PublishAsync(Message(), CancellationToken.None);
        var channel = await connection.GetPublishChannelAsync(CancellationToken.None);

        relay.DropConfirms = true;
        var unconfirmed = Message();
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => publisher.PublishAsync(unconfirmed, CancellationToken.None).WaitAsync(Stuck));
        Assert.Equal(1, relay.Dropped);
        Assert.Equal($"The broker did not confirm message {unconfirmed.MessageId} (OrderStatusChanged) within 1 s", failure.Message);
        // Its span ends as failed, with the timeout.
        var span = spans.Single(unconfirmed.MessageId);
        Assert.Equal((ActivityStatusCode.Error, failure.Message), (span.Status, span.StatusDescription));
        Assert.Equal("exception", Assert.Single(span.Events).Name);
        // The channel that left it unconfirmed is out of use.
        Assert.NotSame(channel, await connection.GetPublishChannelAsync(CancellationToken.None));

        relay.DropConfirms = false;
        await publisher.PublishAsync(Message(), CancellationToken.None).WaitAsync(Stuck);
    }

    [Fact]
    public async Task A_whole_batch_left_unconfirmed_fails_together_and_the_next_publish_is_confirmed()
    {
        // The relay publishes up to 200 rows at once. A channel the broker stopped answering on does not answer its
        // close either, and the client serialises closes of one channel, each waiting its 20 s RPC timeout: a batch
        // whose every failed publish waited to close the channel would hold the relay for an hour.
        await using var relay = new ConfirmDroppingRelay(TestEnvironment.RabbitMqHost, 5672);
        using var host = BuildHost(relay);
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();
        await publisher.ConnectAsync(CancellationToken.None);

        relay.DropConfirms = true;
        relay.DropChannelCloseOk = true;
        var batch = Enumerable.Range(0, 50).Select(_ => Message()).ToList();
        var outcomes = await Task.WhenAll(batch.Select(async message =>
        {
            try
            {
                await publisher.PublishAsync(message, CancellationToken.None).WaitAsync(Stuck);
                return null;
            }
            catch (Exception exception)
            {
                return exception;
            }
        }));
        // The first to time out closes the channel; the others fail on it then, none waits for the closes.
        Assert.All(batch.Zip(outcomes), pair => Assert.True(
            pair.Second is TimeoutException { Message: var message } && message.StartsWith($"The broker did not confirm message {pair.First.MessageId} ", StringComparison.Ordinal)
                || pair.Second is AlreadyClosedException,
            $"message {pair.First.MessageId}: {pair.Second?.GetType().Name ?? "confirmed"}: {pair.Second?.Message}"));
        Assert.Contains(outcomes, outcome => outcome is TimeoutException);

        relay.DropConfirms = false;
        relay.DropChannelCloseOk = false;
        await publisher.PublishAsync(Message(), CancellationToken.None).WaitAsync(Stuck);
    }

    private IHost BuildHost(ConfirmDroppingRelay relay) => store.BuildHost(settings:
    [
        ($"ConnectionStrings:{OrdersExtensions.BrokerConnectionName}", new UriBuilder(store.BrokerUri) { Port = relay.Port }.Uri.ToString()),
        ("Messaging:PublishConfirmTimeout", "00:00:01"),
    ]);

    // An event nobody consumes here: the event exchange's alternate exchange takes it, and the broker confirms it.
    private static OutgoingMessage Message()
    {
        var id = Guid.CreateVersion7();
        return new OutgoingMessage(id, "OrderStatusChanged", "shop.orders", "order.status-changed",
            Encoding.UTF8.GetBytes($"{{\"orderId\":\"{id}\",\"userId\":1,\"status\":\"PAID\",\"reason\":null,\"changedAt\":\"2026-01-01T00:00:00Z\"}}"),
            id, TraceParent: null, DateTimeOffset.UtcNow);
    }
}
