using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Shop.UnitTests.Messaging;

/// <summary>
/// The dead-letter publisher with a mocked publisher: what a dead letter carries (the message as it came, to the
/// dead-letter exchange under its queue's name, with why, where from and when), and that it is retried until the broker
/// confirms it, unless the consumer is stopping.
/// </summary>
public sealed class DeadLetterPublisherTests
{
    private const string Queue = "payments.order-created";
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);
    private static readonly MessageTopology Topology = new("shop.dead-letter", "shop.unrouted", "shop.unrouted", deliveryLimit: 20, [], []);

    [Fact]
    public async Task A_dead_letter_goes_to_the_dead_letter_exchange_under_its_queue_as_it_came_with_why_where_from_and_when()
    {
        var harness = new Harness();
        var id = Guid.NewGuid();
        var correlation = Guid.NewGuid();
        var body = Encoding.UTF8.GetBytes("{\"broken\":");
        var traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var delivery = new Delivery(7, Redelivered: false, "shop.orders", "order.created", id.ToString(), "OrderCreated", correlation.ToString(), traceParent, body);

        await harness.Publisher.PublishAsync(Queue, delivery, "the body is not valid JSON", activity: null, CancellationToken.None);

        var letter = Assert.Single(harness.Published);
        Assert.Equal((id, "OrderCreated", "shop.dead-letter", Queue, correlation, traceParent, Now),
            (letter.MessageId, letter.Type, letter.Exchange, letter.RoutingKey, letter.CorrelationId, letter.TraceParent, letter.CreatedAt));
        Assert.Equal(body, letter.Body.ToArray());
        Assert.Equal(
            new Dictionary<string, string>
            {
                [MessageHeaders.DeathReason] = "the body is not valid JSON",
                [MessageHeaders.OriginalExchange] = "shop.orders",
                [MessageHeaders.OriginalRoutingKey] = "order.created",
                [MessageHeaders.OriginalQueue] = Queue,
                [MessageHeaders.DeadLetteredAt] = "2026-03-04T05:06:07.8900000+00:00",
            }.OrderBy(header => header.Key),
            letter.Headers!.OrderBy(header => header.Key));
        Assert.Empty(harness.Logger.Entries);
    }

    [Fact]
    public async Task A_delivery_without_a_usable_id_or_type_gets_a_new_id_and_the_type_unknown_and_the_span_of_its_delivery_as_parent()
    {
        var harness = new Harness();
        var delivery = new Delivery(8, Redelivered: true, "shop.orders", "order.created", "not-a-uuid", Type: null, CorrelationId: null,
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", [1, 2, 3]);
        using var span = new Activity("payments.order-created process").Start();

        await harness.Publisher.PublishAsync(Queue, delivery, "no message id", span, CancellationToken.None);

        var letter = Assert.Single(harness.Published);
        Assert.NotEqual(Guid.Empty, letter.MessageId);
        Assert.Equal(7, letter.MessageId.Version);
        Assert.Equal(("unknown", Guid.Empty, span.Id), (letter.Type, letter.CorrelationId, letter.TraceParent));
    }

    [Fact]
    public async Task A_dead_letter_the_broker_does_not_confirm_is_published_again_until_it_is_each_failure_logged()
    {
        var failures = new Queue<Exception>([new IOException("connection lost"), new TimeoutException("not confirmed")]);
        // The real clock: the backoffs (about 100 and 200 ms) pass on their own.
        var harness = new Harness(_ => failures.TryDequeue(out var failure) ? failure : null, TimeProvider.System);
        var id = Guid.NewGuid();
        var delivery = new Delivery(9, Redelivered: false, "shop.orders", "order.created", id.ToString(), "OrderCreated", null, null, [1]);

        await harness.Publisher.PublishAsync(Queue, delivery, "poison", activity: null, CancellationToken.None);

        Assert.Equal(3, harness.Published.Count);
        Assert.All(harness.Published, letter => Assert.Same(harness.Published[0], letter));
        Assert.Equal(
            new (LogLevel, string?, Type?)[] { (LogLevel.Warning, "1", typeof(IOException)), (LogLevel.Warning, "2", typeof(TimeoutException)) },
            harness.Logger.Entries.Select(e => (e.Level, e.Property("Attempt"), e.Exception?.GetType())));
        Assert.All(harness.Logger.Entries, e => Assert.StartsWith($"Dead letter {id} from {Queue} not confirmed on attempt ", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dead_letter_that_fails_while_the_consumer_stops_is_not_tried_again()
    {
        using var stopping = new CancellationTokenSource();
        var harness = new Harness(_ =>
        {
            stopping.Cancel();
            return new IOException("connection closed by the stop");
        });
        var delivery = new Delivery(10, Redelivered: false, "shop.orders", "order.created", Guid.NewGuid().ToString(), "OrderCreated", null, null, [1]);

        await Assert.ThrowsAsync<IOException>(() => harness.Publisher.PublishAsync(Queue, delivery, "poison", activity: null, stopping.Token));

        Assert.Single(harness.Published);
        Assert.Empty(harness.Logger.Entries);
    }

    [Fact]
    public async Task A_dead_letter_is_published_again_only_once_the_backoff_it_logged_has_passed_on_the_clock()
    {
        var clock = new FakeTimeProvider(Now);
        var attempts = 0;
        var harness = new Harness(_ => ++attempts == 1 ? new IOException("connection lost") : null, clock);
        var delivery = new Delivery(11, Redelivered: false, "shop.orders", "order.created", Guid.NewGuid().ToString(), "OrderCreated", null, null, [1]);

        // The mocked publisher answers at once: the call returns only when it waits out its backoff.
        var publishing = harness.Publisher.PublishAsync(Queue, delivery, "poison", activity: null, CancellationToken.None);
        var delay = TimeSpan.Parse(Assert.Single(harness.Logger.Entries).Property("Delay")!, CultureInfo.InvariantCulture);
        Assert.InRange(delay, TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(120)); // the first backoff, 100 ms ± 20 %
        // Task.Delay counts whole milliseconds.
        clock.Advance(delay - TimeSpan.FromMilliseconds(1));
        Assert.Single(harness.Published);
        Assert.False(publishing.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await publishing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, harness.Published.Count);
    }

    private sealed class Harness
    {
        public Harness(Func<OutgoingMessage, Exception?>? failure = null, TimeProvider? clock = null)
        {
            var publisher = new Mock<IMessagePublisher>();
            publisher.Setup(p => p.PublishAsync(It.IsAny<OutgoingMessage>(), It.IsAny<CancellationToken>()))
                .Returns((OutgoingMessage message, CancellationToken _) =>
                {
                    Published.Add(message);
                    return failure?.Invoke(message) is { } error ? Task.FromException(error) : Task.CompletedTask;
                });
            Publisher = new DeadLetterPublisher(publisher.Object, Topology, Options.Create(new MessagingOptions { ServiceName = "payments" }),
                clock ?? new FakeTimeProvider(Now), Logger);
        }

        public List<OutgoingMessage> Published { get; } = [];

        public RecordingLogger<DeadLetterPublisher> Logger { get; } = new();

        public DeadLetterPublisher Publisher { get; }
    }
}
