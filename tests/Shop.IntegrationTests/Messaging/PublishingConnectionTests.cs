using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client.Exceptions;
using Shop.IntegrationTests.Observability;

namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// The transport's connection (<c>RabbitMqConnection</c>) on the real broker, in a virtual host of the test's own: a
/// publishing connection the broker closes is replaced by the next publish, a retired channel is closed at once and its
/// connection with the next publish, a host that stops closes its connection, an unreachable broker fails publishes fast
/// for a second, and a queue of the other type stops publishing and paces the consumers' connects until a later
/// declaration succeeds.
/// </summary>
public sealed class PublishingConnectionTests
{
    private const string Service = "scratch";
    private const string PublisherConnection = $"{Service}-publisher";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_publishing_connection_the_broker_closes_is_replaced_by_the_next_publish_which_later_publishes_share()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        using var host = broker.BuildHost(Service);
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();
        await publisher.PublishAsync(Message(), CancellationToken.None);
        var closed = Assert.Single(await Eventually.UntilAsync(() => broker.ConnectionsAsync(PublisherConnection), c => c.Count == 1,
            "the broker to list the publishing connection"));

        // What a broker restart does: the connection closed under the publisher. A publish made before the client has
        // read the close fails (the outbox row stays for the relay); the first one after it opens a new connection.
        await broker.Management.CloseConnectionAsync(closed);
        await Eventually.UntilAsync(async () =>
        {
            await publisher.PublishAsync(Message(), CancellationToken.None);
            return true;
        }, confirmed => confirmed, "a publish confirmed after the close", retryProbeErrors: true);
        var replacement = Assert.Single(await Eventually.UntilAsync(() => broker.ConnectionsAsync(PublisherConnection),
            c => c.Count == 1 && c[0] != closed, "the broker to list the new publishing connection alone", TimeSpan.FromSeconds(30)));

        // Later publishes share it: no connection per publish.
        var channel = await host.Services.GetRequiredService<RabbitMqConnection>().GetPublishChannelAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await publisher.PublishAsync(Message(), CancellationToken.None);
        }
        Assert.Same(channel, await host.Services.GetRequiredService<RabbitMqConnection>().GetPublishChannelAsync(CancellationToken.None));
        Assert.Equal([replacement], await broker.ConnectionsAsync(PublisherConnection));
    }

    [Fact]
    public async Task A_retired_publishing_channel_is_closed_at_once_and_its_connection_by_the_next_publish()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        await using var relay = new ConfirmDroppingRelay(TestEnvironment.RabbitMqHost, 5672);
        var logs = new LogRecorder();
        using var host = broker.BuildHost(Service, services => logs.AddTo(services, "Shop.Messaging.RabbitMq"),
            ($"ConnectionStrings:{ScratchBroker.ConnectionName}", new UriBuilder(broker.Uri) { Port = relay.Port }.Uri.ToString()),
            ("Messaging:PublishConfirmTimeout", "00:00:01"));
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();
        await publisher.PublishAsync(Message(), CancellationToken.None);
        var first = Assert.Single(await Eventually.UntilAsync(() => broker.ConnectionsAsync(PublisherConnection), c => c.Count == 1,
            "the broker to list the publishing connection"));
        await Eventually.UntilAsync(() => broker.Management.ChannelsAsync(first), n => n == 1, "the broker to list its channel",
            TimeSpan.FromSeconds(30));

        relay.DropConfirms = true;
        var unconfirmed = Message();
        await Assert.ThrowsAsync<TimeoutException>(() => publisher.PublishAsync(unconfirmed, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        // Retired: the channel is closed in the background straight away, not left open with the unconfirmed publish.
        await Eventually.UntilAsync(() => broker.Management.ChannelsAsync(first), n => n == 0, "the retired channel closed on the broker",
            TimeSpan.FromSeconds(30));
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message ==
            $"A publish of message {unconfirmed.MessageId} was not confirmed in time; the publishing channel is closed and the next publish opens a new connection and channel");

        // The next publish goes out on a new connection, and the old one is closed, not left open beside it.
        relay.DropConfirms = false;
        await publisher.PublishAsync(Message(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await Eventually.UntilAsync(() => broker.ConnectionsAsync(PublisherConnection), c => c.Count == 1 && c[0] != first,
            "the new publishing connection alone, the old one closed", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_host_that_stops_closes_its_publishing_connection()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        var host = broker.BuildHost(Service);
        await host.Services.GetRequiredService<IMessagePublisher>().PublishAsync(Message(), CancellationToken.None);
        await Eventually.UntilAsync(() => broker.ConnectionsAsync(PublisherConnection), c => c.Count == 1, "the broker to list the publishing connection");

        // An app that stops (a scale-in, a deployment) leaves no connection open on the broker behind it.
        await host.StopAsync();
        await ((IAsyncDisposable)host).DisposeAsync();
        await Eventually.UntilAsync(() => broker.ConnectionsAsync(PublisherConnection), c => c.Count == 0, "the publishing connection closed",
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task After_a_failed_connect_publishes_fail_fast_for_one_second_naming_the_failure_then_connect_again()
    {
        var clock = new FakeTimeProvider(Start);
        await using var connection = new RabbitMqConnection(
            Options.Create(new RabbitMqOptions { ConnectionString = "amqp://guest:guest@127.0.0.1:1/" }),
            Options.Create(new MessagingOptions { ServiceName = Service }),
            Topology(), clock, NullLogger<RabbitMqConnection>.Instance);

        var unreachable = await Assert.ThrowsAsync<BrokerUnreachableException>(() => connection.GetPublishChannelAsync(CancellationToken.None).AsTask());

        var fast = await Assert.ThrowsAsync<IOException>(() => connection.GetPublishChannelAsync(CancellationToken.None).AsTask());
        Assert.Equal($"The broker was unreachable 0 ms ago: {unreachable.Message}", fast.Message);
        Assert.Same(unreachable, fast.InnerException);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        fast = await Assert.ThrowsAsync<IOException>(() => connection.GetPublishChannelAsync(CancellationToken.None).AsTask());
        Assert.Equal($"The broker was unreachable 999 ms ago: {unreachable.Message}", fast.Message);

        // A second after the failure, the next publish tries the broker again.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var again = await Assert.ThrowsAsync<BrokerUnreachableException>(() => connection.GetPublishChannelAsync(CancellationToken.None).AsTask());
        Assert.NotSame(unreachable, again);
    }

    [Fact]
    public async Task A_queue_of_the_other_type_stops_publishing_until_a_later_declaration_succeeds_and_consumers_connect_at_the_pace_of_the_checks()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        var configured = TestEnvironment.QueueType;
        await broker.DeclareTopologyAsync(configured == QueueType.Quorum ? QueueType.Classic : QueueType.Quorum);
        var fake = new FakeTimeProvider(Start);
        var clock = new TimerRecordingClock(fake);
        var logs = new LogRecorder();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var connection = new RabbitMqConnection(
            Options.Create(new RabbitMqOptions { ConnectionString = broker.Uri, QueueType = configured }),
            Options.Create(new MessagingOptions { ServiceName = Service }),
            broker.Topology, clock, loggers.CreateLogger<RabbitMqConnection>());
        var queue = broker.Topology.DurableQueues[0].Name;
        var type = configured.ToString().ToLowerInvariant();

        var mismatch = await Assert.ThrowsAsync<QueueMismatchException>(() => connection.GetPublishChannelAsync(CancellationToken.None).AsTask());
        Assert.Equal(queue, mismatch.Queue);
        var critical = Assert.Single(logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Equal($"Queue {queue} does not match the configured queue type: {mismatch.Message}", critical.Message);

        // The next check, MismatchRecheckInterval later, declares again and fails the same way; it is not logged again.
        fake.Advance(RabbitMqConnection.MismatchRecheckInterval);
        var again = await Assert.ThrowsAsync<QueueMismatchException>(() => connection.GetPublishChannelAsync(CancellationToken.None).AsTask());
        Assert.NotSame(mismatch, again);
        Assert.Equal([critical], logs.Entries.Where(e => e.Level == LogLevel.Critical));

        // Migrated (here: deleted, so the next declaration creates them as configured). Until the next check is due,
        // publishes still fail at once with what the last one found, and a consumer's connect waits for that check.
        foreach (var durable in broker.Topology.DurableQueues)
        {
            await broker.Management.DeleteQueueAsync(broker.VirtualHost, durable.Name);
        }
        var remembered = await Assert.ThrowsAsync<QueueMismatchException>(() => connection.GetPublishChannelAsync(CancellationToken.None).AsTask());
        Assert.Same(again, remembered.InnerException);
        var connecting = connection.ConnectAsync("consumer-probe", CancellationToken.None);
        Assert.Equal([RabbitMqConnection.MismatchRecheckInterval], clock.Timers);
        Assert.False(connecting.IsCompleted);

        fake.Advance(RabbitMqConnection.MismatchRecheckInterval);
        await using (var consumer = await connecting.WaitAsync(TimeSpan.FromSeconds(20)))
        {
            Assert.True(consumer.IsOpen);
        }
        var channel = await connection.GetPublishChannelAsync(CancellationToken.None);
        Assert.True(channel.IsOpen);
        Assert.Equal(type, await broker.Management.QueueTypeAsync(broker.VirtualHost, broker.Queue));
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Information
            && e.Message == $"Queue {queue} now matches RabbitMq:QueueType={type}; consuming and publishing resume");
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Information && e.Message.StartsWith($"Connected {Service}-consumer-probe to ", StringComparison.Ordinal));
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Information && e.Message.StartsWith("Publishing channel open to ", StringComparison.Ordinal));
        Assert.Equal(3, logs.Entries.Count(e => e.Level == LogLevel.Information && e.Message.StartsWith($"Connected {PublisherConnection} to ", StringComparison.Ordinal)));
    }

    // An event nobody consumes here: the event exchange's alternate exchange takes it, and the broker confirms it.
    private static OutgoingMessage Message()
    {
        var id = Guid.CreateVersion7();
        return new OutgoingMessage(id, "Work", ScratchBroker.Exchange, "nobody", Encoding.UTF8.GetBytes("{}"), id, TraceParent: null, Start);
    }

    private static MessageTopology Topology() =>
        new("scratch.dead-letter", "scratch.unrouted", "scratch.unrouted", deliveryLimit: 20, [], []);

    /// <summary>A fake clock that also keeps the due time of every timer created on it (a <c>Task.Delay</c> on it makes one).</summary>
    private sealed class TimerRecordingClock(FakeTimeProvider inner) : TimeProvider
    {
        private readonly ConcurrentQueue<TimeSpan> _timers = new();

        public IReadOnlyList<TimeSpan> Timers => [.. _timers];

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _timers.Enqueue(dueTime);
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
