using Shop.IntegrationTests.Observability;

namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// The transport's consumer (<c>RabbitMqConsumerHost</c>) on the real broker, in a virtual host of the test's own, with a
/// batch handler whose batches wait at a gate the test opens: it holds no more unacked deliveries than its prefetch, a
/// session the broker ends stops the batch in progress and gives back everything unacked, and its workers hand over
/// only batches that hold something. What the inbox does with a batch is <c>Invariants/ConsumerSessionTests</c>' part.
/// </summary>
public sealed class ConsumerHostTests
{
    private const string Service = "scratch";

    [Fact]
    public async Task A_consumer_holds_no_more_unacked_deliveries_than_its_prefetch_and_takes_the_rest_as_it_acks()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        await broker.DeclareTopologyAsync();
        var ids = await broker.PublishAsync(10);
        var handler = new GatedHandler(broker.Queue);
        var logs = new LogRecorder();
        using var host = ConsumerHost(broker, handler, prefetch: 3, concurrency: 1, batchSize: 1, logs);
        var backlog = host.Services.GetRequiredService<ConsumerBacklog>();
        await host.StartAsync();

        // One delivery held in its batch and two in the buffer: the prefetch's three. The broker keeps the other seven.
        await Eventually.UntilAsync(async () => (handler.Held, backlog.Buffered, await broker.ReadyAsync(broker.Queue)),
            state => state == (1, 2, 7u), "one delivery held, two buffered, seven ready in the queue");
        // The broker's own count of what it handed over and has not had acked (sampled every few seconds): three, not ten.
        await Eventually.UntilAsync(() => broker.Management.MessageCountsAsync(broker.VirtualHost, broker.Queue),
            counts => counts == (7, 3), "the broker to count 7 ready and 3 unacknowledged", TimeSpan.FromSeconds(30));
        Assert.Equal((1, 2L, 7u), (handler.Held, backlog.Buffered, await broker.ReadyAsync(broker.Queue)));
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Information
            && e.Message == $"Consuming {broker.Queue} (prefetch 3, 1 batches at once of up to 1 messages)");

        handler.Gate.SetResult();
        await Eventually.UntilAsync(() => Task.FromResult(handler.Acked.Count), n => n == 10, "every message handled and acked");
        Assert.Equal(ids, handler.Acked.Select(d => d.MessageId));
        Assert.All(handler.Batches, batch => Assert.Single(batch));
        Assert.Equal(0, backlog.Buffered);
        await Eventually.UntilAsync(() => broker.Management.MessageCountsAsync(broker.VirtualHost, broker.Queue),
            counts => counts == (0, 0), "the queue empty and nothing unacknowledged", TimeSpan.FromSeconds(30));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_consumer_whose_connection_the_broker_closes_stops_its_batch_in_progress_and_gets_every_unacked_delivery_again_on_a_new_connection()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        await broker.DeclareTopologyAsync();
        var ids = await broker.PublishAsync(4);
        var handler = new GatedHandler(broker.Queue);
        using var metrics = new MetricsRecorder();
        var logs = new LogRecorder();
        using var host = ConsumerHost(broker, handler, prefetch: 10, concurrency: 1, batchSize: 1, logs);
        var backlog = host.Services.GetRequiredService<ConsumerBacklog>();
        await host.StartAsync();

        await Eventually.UntilAsync(() => Task.FromResult((handler.Held, backlog.Buffered)), state => state == (1, 3),
            "one delivery held in its batch, three in the buffer");
        var clientName = $"{Service}-consumer-{broker.Queue}";
        var closed = Assert.Single(await Eventually.UntilAsync(() => broker.ConnectionsAsync(clientName), c => c.Count == 1,
            "the broker to list the consumer's connection"));

        // What a broker restart does to the consumer: its connection closed under it (CONNECTION_FORCED).
        await broker.Management.CloseConnectionAsync(closed);

        // The batch held at its gate is cancelled, not left to finish on a dead channel, and a new session starts; the
        // gate stays shut until it has.
        await Eventually.UntilAsync(() => Task.FromResult(handler.Cancelled), n => n == 1, "the batch in progress cancelled");
        await Eventually.UntilAsync(() => broker.ConnectionsAsync(clientName), c => c.Count == 1 && c[0] != closed,
            "the consumer to open a new connection in place of the closed one", TimeSpan.FromSeconds(30));
        handler.Gate.SetResult();
        var closing = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith($"Channel on {broker.Queue} closed: ", StringComparison.Ordinal));
        Assert.Contains("closed by a test", closing.Message);
        Assert.EndsWith("; reconnecting", closing.Message, StringComparison.Ordinal);

        // Nothing was acked on the closed channel: all four come again, redelivered, and each is handled once.
        await Eventually.UntilAsync(() => Task.FromResult(handler.Acked.Count), n => n == 4, "the four messages handled and acked");
        Assert.Equal(ids.Order(), handler.Acked.Select(d => d.MessageId).Order());
        Assert.All(handler.Acked, delivery => Assert.True(delivery.Redelivered, $"{delivery.MessageId} not marked redelivered"));
        // What the closed channel's buffer held is no longer counted, in the backlog nor in the buffered gauge.
        Assert.Equal(0, backlog.Buffered);
        Assert.Equal(0, metrics.Sum("shop.messaging.consumer.buffered", $"queue={broker.Queue}"));
        // Five batches of one: the cancelled one and the four on the new channel.
        Assert.Equal([1d, 1d, 1d, 1d, 1d], metrics.Values("shop.messaging.batch.size", $"queue={broker.Queue}"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Workers_woken_together_for_one_delivery_hand_over_only_the_batch_that_holds_it()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        await broker.DeclareTopologyAsync();
        var handler = new GatedHandler(broker.Queue);
        handler.Gate.SetResult();
        using var host = ConsumerHost(broker, handler, prefetch: 64, concurrency: 4, batchSize: 64);
        await host.StartAsync();
        await Eventually.UntilAsync(() => broker.Management.ConsumersAsync(broker.VirtualHost, broker.Queue), n => n == 1,
            "the consumer on its queue", TimeSpan.FromSeconds(30));

        // One message at a time, each once the last is handled: all four workers wait for it, one takes it.
        for (var sent = 1; sent <= 5; sent++)
        {
            await broker.PublishAsync(1);
            await Eventually.UntilAsync(() => Task.FromResult(handler.Acked.Count), n => n == sent, $"message {sent} handled");
        }

        Assert.All(handler.Batches, batch => Assert.Single(batch));
        Assert.Equal(5, handler.Batches.Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_consumer_the_broker_cancels_while_its_channel_stays_open_says_so_and_consumes_again_once_its_queue_is_declared_again()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        await broker.DeclareTopologyAsync();
        var handler = new GatedHandler(broker.Queue);
        handler.Gate.SetResult();
        var logs = new LogRecorder();
        using var host = ConsumerHost(broker, handler, prefetch: 10, concurrency: 1, batchSize: 1, logs);
        await host.StartAsync();
        await Eventually.UntilAsync(() => broker.Management.ConsumersAsync(broker.VirtualHost, broker.Queue), n => n == 1,
            "the consumer on its queue", TimeSpan.FromSeconds(30));

        // Deleting the queue makes the broker cancel its consumer (basic.cancel) and leave the channel open.
        await broker.Management.DeleteQueueAsync(broker.VirtualHost, broker.Queue);
        await Eventually.UntilAsync(() => broker.Management.ConsumersAsync(broker.VirtualHost, broker.Queue), n => n == 1,
            "the queue declared again and consumed", TimeSpan.FromSeconds(30));
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning
            && e.Message == $"Channel on {broker.Queue} closed: the broker cancelled the consumer; reconnecting");

        var id = Assert.Single(await broker.PublishAsync(1));
        await Eventually.UntilAsync(() => Task.FromResult(handler.Acked.Count), n => n == 1, "the message handled on the new session");
        Assert.Equal(id, handler.Acked[0].MessageId);
        await host.StopAsync();
    }

    private static IHost ConsumerHost(ScratchBroker broker, GatedHandler handler, ushort prefetch, ushort concurrency, int batchSize,
        LogRecorder? logs = null) =>
        broker.BuildHost(Service, services =>
        {
            logs?.AddTo(services, "Shop.Messaging.RabbitMq");
            services.AddSingleton<ConsumerBacklog>();
            services.AddSingleton<IDeliveryBatchHandler>(handler);
            services.AddHostedService<RabbitMqConsumerHost>();
        },
        ("Messaging:Prefetch", prefetch.ToString(CultureInfo.InvariantCulture)),
        ("Messaging:ConsumerConcurrency", concurrency.ToString(CultureInfo.InvariantCulture)),
        ("Messaging:BatchSize", batchSize.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Keeps every batch it is handed; each waits at <see cref="Gate"/> (with the session's token), then is acked.</summary>
    private sealed class GatedHandler(string queue) : IDeliveryBatchHandler
    {
        private readonly ConcurrentQueue<IReadOnlyList<Delivery>> _batches = new();
        private readonly ConcurrentQueue<Delivery> _acked = new();
        private int _held;
        private int _cancelled;

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IEnumerable<string> Queues => [queue];

        public IReadOnlyList<IReadOnlyList<Delivery>> Batches => [.. _batches];

        public IReadOnlyList<Delivery> Acked => [.. _acked];

        /// <summary>Batches waiting at the gate now.</summary>
        public int Held => Volatile.Read(ref _held);

        /// <summary>Batches whose wait the session's token ended.</summary>
        public int Cancelled => Volatile.Read(ref _cancelled);

        public async Task HandleAsync(string queueName, IReadOnlyList<Delivery> batch, DeliveryAcks acks, CancellationToken cancellationToken)
        {
            // The worker reuses its list for the next batch.
            IReadOnlyList<Delivery> own = [.. batch];
            _batches.Enqueue(own);
            Interlocked.Increment(ref _held);
            try
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelled);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
            await acks.AckAsync([.. own.Select(delivery => delivery.Tag)]);
            foreach (var delivery in own)
            {
                _acked.Enqueue(delivery);
            }
        }
    }
}
