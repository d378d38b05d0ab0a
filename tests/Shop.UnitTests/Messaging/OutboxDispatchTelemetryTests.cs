using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Shop.UnitTests.Messaging;

/// <summary>
/// The commit-time dispatch's telemetry as the README's Observability section documents it: one span per batch
/// (<c>outbox dispatch</c>) with the batch's size and service, in error when a row of it was not confirmed; the
/// counters <c>shop.messaging.published</c> and <c>shop.messaging.publish_failures</c> tagged with the service; a Debug
/// line per row the broker did not confirm, naming the message, its type and its order; one Warning per such batch with
/// its counts and first error; and a Warning naming the first row of a mark that failed. Each test gives its worker a
/// service name of its own (<see cref="ServiceTelemetry"/>).
/// </summary>
public sealed class OutboxDispatchTelemetryTests : IDisposable
{
    private readonly string _service = $"dispatch-{Guid.NewGuid():N}";
    private readonly RecordingLogger<OutboxDispatchWorker> _logs = new();
    private readonly ServiceTelemetry _telemetry;

    public OutboxDispatchTelemetryTests() => _telemetry = new ServiceTelemetry(_service);

    public void Dispose() => _telemetry.Dispose();

    [Fact]
    public async Task A_confirmed_batch_is_counted_published_in_one_span_with_its_size_and_no_error_and_logs_nothing()
    {
        var harness = new OutboxDispatchTests.Harness(service: _service, logger: _logs);
        var rows = new[] { OutboxDispatchTests.Row(), OutboxDispatchTests.Row(), OutboxDispatchTests.Row() };
        // Queued before the worker reads, so the three rows are one batch.
        harness.Dispatcher.Attach();
        harness.Dispatcher.Committed(rows);
        await harness.Worker.StartAsync(CancellationToken.None);

        await harness.MarkedAsync(3);
        var span = Assert.Single(await _telemetry.SpansAsync(1));
        await harness.Worker.StopAsync(CancellationToken.None);

        Assert.Equal(MessagingTelemetry.DispatchSpanName, span.DisplayName);
        Assert.Equal(3, (int?)span.GetTagItem(MessagingTelemetry.BatchCount));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(3, _telemetry.Sum("shop.messaging.published"));
        Assert.Equal(0, _telemetry.Count("shop.messaging.publish_failures"));
        Assert.Empty(_logs.Entries);
    }

    [Fact]
    public async Task A_row_the_broker_did_not_confirm_is_counted_failed_makes_its_batch_span_an_error_and_is_logged_with_its_order_and_its_batch()
    {
        var refused = OutboxDispatchTests.Row();
        var accepted = OutboxDispatchTests.Row();
        var harness = new OutboxDispatchTests.Harness(message => message.MessageId == refused.Id ? new IOException("nack") : null,
            service: _service, logger: _logs);
        harness.Dispatcher.Attach();
        harness.Dispatcher.Committed([refused, accepted]);
        await harness.Worker.StartAsync(CancellationToken.None);

        await harness.MarkedAsync(1);
        var span = Assert.Single(await _telemetry.SpansAsync(1));
        await harness.Worker.StopAsync(CancellationToken.None);

        Assert.Equal(2, (int?)span.GetTagItem(MessagingTelemetry.BatchCount));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("1 of 2 not confirmed", span.StatusDescription);
        Assert.Equal(1, _telemetry.Sum("shop.messaging.published"));
        Assert.Equal(1, _telemetry.Sum("shop.messaging.publish_failures"));

        // The row, at Debug: its message id, type and order, with the error.
        var row = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Debug);
        Assert.Equal($"Outbox message {refused.Id} (OrderCreated) for order {refused.CorrelationId} was not confirmed", row.Message);
        Assert.Equal(refused.Id.ToString(), row.Property("MessageId"));
        Assert.Equal(refused.CorrelationId.ToString(), row.Property("OrderId"));
        Assert.IsType<IOException>(row.Exception);
        // The batch, once, at Warning: how many of how many, the first error, and when the relay takes over.
        var batch = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("1 of 2 committed outbox messages were not confirmed (IOException: nack); the relay takes them over after 00:00:01",
            batch.Message);
        Assert.Equal("1", batch.Property("Failed"));
        Assert.Equal("2", batch.Property("Count"));
        Assert.Equal(2, _logs.Entries.Count);
        Assert.True(harness.RelayWoken());
    }

    [Fact]
    public async Task A_mark_that_fails_is_a_warning_naming_how_many_confirmed_rows_it_left_unmarked_and_the_first_of_them()
    {
        var clock = new FakeTimeProvider();
        var harness = new OutboxDispatchTests.Harness(failFirstMark: true, markDelay: TimeSpan.FromMilliseconds(20), clock: clock,
            service: _service, logger: _logs);
        var rows = new[] { OutboxDispatchTests.Row(), OutboxDispatchTests.Row() };
        harness.Dispatcher.Attach();
        harness.Dispatcher.Committed(rows);
        await harness.Worker.StartAsync(CancellationToken.None);
        // Both confirmed rows wait for the one mark, which fails.
        await harness.AwaitingMarkAsync(2);
        await harness.MarkAttemptsAsync(1, whileWaiting: () => clock.Advance(TimeSpan.FromMilliseconds(20)));

        // The stop waits for the mark loop, which logs the failure before it ends.
        await harness.Worker.StopAsync(CancellationToken.None);

        Assert.Empty(harness.Marked);
        var failure = Assert.Single(_logs.Entries);
        Assert.Equal(LogLevel.Warning, failure.Level);
        Assert.Equal($"Could not mark 2 confirmed outbox messages published (first {rows[0].Id}); the relay will publish them again",
            failure.Message);
        Assert.Equal(rows[0].Id.ToString(), failure.Property("MessageId"));
        Assert.Equal("2", failure.Property("Count"));
        Assert.IsType<TimeoutException>(failure.Exception);
    }
}
