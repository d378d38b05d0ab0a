using Moq;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// The relay's telemetry as the README's Observability section documents it, on a database of its own
/// (<see cref="MessagingStore"/>) with a publisher the test controls: one span per round that found rows
/// (<c>outbox relay</c>) with the batch's size and service, in error when a row was not confirmed; the counters
/// <c>shop.messaging.published</c> and <c>shop.messaging.publish_failures</c> tagged with the service; a Debug line per
/// row not confirmed naming the message, its type and its order; one Warning per such round with its counts and first
/// error; and a Debug line of what each round relayed. Each test gives the relay a service name of its own, so the
/// spans and counters of the relays of other tests running at the same time are not counted.
/// </summary>
public sealed class RelayTelemetryTests(MessagingStore store) : IClassFixture<MessagingStore>, IAsyncLifetime, IDisposable
{
    private const string RelayCategory = "Shop.Messaging.Outbox.OutboxRelay";
    private readonly string _service = $"relay-{Guid.NewGuid():N}";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly Mock<IMessagePublisher> _publisher = new();
    private readonly LogRecorder _logs = new();
    private readonly MetricsRecorder _metrics = new();
    private readonly ConcurrentQueue<Activity> _spans = new();
    private ActivityListener? _listener;

    public Task InitializeAsync()
    {
        _publisher.Setup(p => p.PublishAsync(It.IsAny<OutgoingMessage>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                if (Equals(span.GetTagItem("shop.service"), _service))
                {
                    _spans.Enqueue(span);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        return store.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _listener?.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public async Task A_round_that_relays_every_row_is_counted_published_in_one_span_with_its_size_and_logged_at_debug()
    {
        var created = _clock.GetUtcNow() - TimeSpan.FromMinutes(1);
        await store.InsertOutboxRowAsync(created);
        await store.InsertOutboxRowAsync(created);
        using var host = BuildRelayHost();
        var relay = host.Services.GetRequiredService<IOutboxRelay>();

        Assert.Equal(new RelayResult(2, 0), await relay.DrainAsync(CancellationToken.None));

        var span = Assert.Single(_spans);
        Assert.Equal(MessagingTelemetry.RelaySpanName, span.DisplayName);
        Assert.Equal(2, (int?)span.GetTagItem("messaging.batch.message_count"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal([2.0], _metrics.Values("shop.messaging.published", $"service={_service}"));
        Assert.Empty(_metrics.Values("shop.messaging.publish_failures", $"service={_service}"));
        var relayed = Assert.Single(RelayLogs());
        Assert.Equal(LogLevel.Debug, relayed.Level);
        Assert.Equal("Relayed 2 of 2 outbox messages", relayed.Message);
        Assert.Equal("2", relayed.Property("Published"));
        Assert.Equal("2", relayed.Property("Fetched"));

        // A round that finds nothing leaves no span, no count and no line.
        Assert.Equal(new RelayResult(0, 0), await relay.DrainAsync(CancellationToken.None));
        Assert.Single(_spans);
        Assert.Single(_metrics.Values("shop.messaging.published", $"service={_service}"));
        Assert.Single(RelayLogs());
    }

    [Fact]
    public async Task A_row_the_broker_did_not_confirm_is_counted_failed_makes_the_rounds_span_an_error_and_is_logged_with_its_order_and_its_round()
    {
        var created = _clock.GetUtcNow() - TimeSpan.FromMinutes(1);
        var refused = await store.InsertOutboxRowAsync(created);
        var confirmed = await store.InsertOutboxRowAsync(created);
        // An order id of its own, so a line naming the order cannot be mistaken for one naming the message.
        var order = Guid.NewGuid();
        await store.Db.ExecuteAsync("UPDATE outbox_messages SET correlation_id = $2 WHERE id = $1", refused, order);
        _publisher.Setup(p => p.PublishAsync(It.Is<OutgoingMessage>(m => m.MessageId == refused), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("the broker said no"));
        using var host = BuildRelayHost();

        var result = await host.Services.GetRequiredService<IOutboxRelay>().DrainAsync(CancellationToken.None);

        Assert.Equal(new RelayResult(1, 1), result);
        var span = Assert.Single(_spans);
        Assert.Equal(2, (int?)span.GetTagItem("messaging.batch.message_count"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("1 of 2 not confirmed", span.StatusDescription);
        Assert.Equal(1, _metrics.Sum("shop.messaging.published", $"service={_service}"));
        Assert.Equal(1, _metrics.Sum("shop.messaging.publish_failures", $"service={_service}"));

        var logs = RelayLogs();
        // The row, at Debug: its message id, type and order, with the error.
        var row = Assert.Single(logs, e => e.Message.StartsWith("Outbox message", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, row.Level);
        Assert.Equal($"Outbox message {refused} (OrderStatusChanged) for order {order} was not confirmed", row.Message);
        Assert.Equal(refused.ToString(), row.Property("MessageId"));
        Assert.Equal(order.ToString(), row.Property("OrderId"));
        Assert.IsType<InvalidOperationException>(row.Exception);
        Assert.DoesNotContain(logs, e => e.Property("MessageId") == confirmed.ToString());
        // The round, once, at Warning: how many of how many, and the first error.
        var round = Assert.Single(logs, e => e.Level == LogLevel.Warning);
        Assert.Equal("1 of 2 outbox messages were not confirmed (InvalidOperationException: the broker said no); they stay for the next round",
            round.Message);
        Assert.Equal("1", round.Property("Failed"));
        Assert.Equal("2", round.Property("Fetched"));
        // What the round relayed, at Debug.
        var relayed = Assert.Single(logs, e => e.Message.StartsWith("Relayed", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, relayed.Level);
        Assert.Equal("Relayed 1 of 2 outbox messages", relayed.Message);
        Assert.Equal(3, logs.Count);
    }

    private List<RecordedLog> RelayLogs() => [.. _logs.Entries.Where(e => e.Category.StartsWith(RelayCategory, StringComparison.Ordinal))];

    private IHost BuildRelayHost() =>
        store.BuildHost(services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddSingleton(_publisher.Object);
            _logs.AddTo(services, RelayCategory);
        }, ("Messaging:RelayGrace", "00:00:01"), ("Messaging:ServiceName", _service));
}
