using System.Globalization;
using System.Text;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// The consumer's telemetry as the README's Observability section documents it, read from a delivery of Payments'
/// OrderCreated queue: the process span's messaging tags, its outcome (applied, duplicate, dead_lettered), attempts and
/// events; the consumed, retries and process duration metrics with their tags; and the log lines and scopes that name
/// the message, its type, its order and its queue. Each test starts a Payments whose logs it records (from Debug up),
/// sometimes with a fault injected; a healthy one takes its place after the test.
/// </summary>
public sealed class ConsumerTelemetryTests(ShopSystem system) : ShopTests, IAsyncLifetime
{
    private const string Queue = ShopTopology.PaymentsOrderCreatedQueue;
    private const string DeadLetterQueue = Queue + ShopTopology.DeadLetterSuffix;
    private const string RoutingKey = "order.created";
    private static readonly string HandlerCategory = typeof(DeliveryBatchHandler).FullName!;

    [Fact]
    public async Task An_applied_message_has_a_process_span_with_its_messaging_tags_its_metrics_and_a_log_scope_naming_it()
    {
        using var probe = new MessagingProbe();
        using var metrics = new MetricsRecorder();
        var logs = await StartRecordedPaymentsAsync();
        var user = await system.NewUserWithBalanceAsync(10);

        var order = (await system.Client.PlaceOrderAsync(user, 10)).Id;
        var (messageId, _) = await OrderCreatedRowAsync(order);
        var span = Assert.Single(await SpansAsync(probe, messageId, 1));

        Assert.Equal(MessagingTelemetry.ProcessSpanName(Queue), span.DisplayName);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal("rabbitmq", Tag(span, "messaging.system"));
        Assert.Equal("process", Tag(span, "messaging.operation.type"));
        Assert.Equal("process", Tag(span, "messaging.operation.name"));
        Assert.Equal(ShopTopology.OrdersExchange, Tag(span, "messaging.destination.name"));
        Assert.Equal(RoutingKey, Tag(span, "messaging.rabbitmq.destination.routing_key"));
        Assert.Equal(Queue, Tag(span, "messaging.consumer.group.name"));
        Assert.Equal(messageId.ToString(), Tag(span, "messaging.message.id"));
        Assert.Equal(order.ToString(), Tag(span, "messaging.message.conversation_id"));
        Assert.Equal(nameof(OrderCreated), Tag(span, "shop.messaging.type"));
        Assert.True(Number(span, "messaging.message.body.size") > 0, "the body size is on the span");
        Assert.True(Number(span, "messaging.rabbitmq.message.delivery_tag") > 0, "the delivery tag is on the span");
        Assert.Equal(MessagingMetrics.OutcomeApplied, Tag(span, MessagingTelemetry.Outcome));
        Assert.Equal(1, Number(span, "shop.messaging.attempt"));
        Assert.Empty(span.Events);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);

        Assert.NotEmpty(metrics.Values("shop.messaging.consumed", $"queue={Queue}", "outcome=applied"));
        Assert.NotEmpty(metrics.Values("shop.messaging.process.duration", $"queue={Queue}", "outcome=applied"));

        // Logged at Debug, inside the scope of its batch of one: the message, its type, its order and its queue.
        var applied = Assert.Single(HandlerLogs(logs, messageId), e => e.Level == LogLevel.Debug);
        Assert.Equal($"Applied message {messageId} (OrderCreated) for order {order}", applied.Message);
        var scope = Assert.Single(applied.Scopes, s => s.ContainsKey("Queue"));
        Assert.Equal(messageId.ToString(), Text(scope, "MessageId"));
        Assert.Equal(nameof(OrderCreated), Text(scope, "MessageType"));
        Assert.Equal(order.ToString(), Text(scope, "OrderId"));
        Assert.Equal(Queue, Text(scope, "Queue"));
        Assert.False(scope.ContainsKey("BatchSize"), "a batch of one names its message, not its size");
        Assert.DoesNotContain(HandlerLogs(logs, messageId), e => e.Level != LogLevel.Debug);
    }

    [Fact]
    public async Task A_repeated_message_ends_with_the_outcome_duplicate_an_event_on_its_span_and_an_information_line_naming_it()
    {
        using var probe = new MessagingProbe();
        using var metrics = new MetricsRecorder();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var logs = await StartRecordedPaymentsAsync();
        var user = await system.NewUserWithBalanceAsync(10);
        var order = (await system.Client.PlaceOrderAsync(user, 10)).Id;
        var (messageId, payload) = await OrderCreatedRowAsync(order);
        Assert.Equal(MessagingMetrics.OutcomeApplied, Tag(Assert.Single(await SpansAsync(probe, messageId, 1)), MessagingTelemetry.Outcome));

        // The same message again, as a redelivery or a replay would bring it.
        var body = Encoding.UTF8.GetBytes(payload + "  ");
        await broker.PublishAsync(ShopTopology.OrdersExchange, RoutingKey, nameof(OrderCreated), body, messageId, order);
        var deliveries = await SpansAsync(probe, messageId, 2);

        var (first, repeat) = (deliveries[0], deliveries[1]);
        Assert.Equal(MessagingMetrics.OutcomeDuplicate, Tag(repeat, MessagingTelemetry.Outcome));
        Assert.Equal(["duplicate absorbed by the inbox"], repeat.Events.Select(e => e.Name));
        Assert.Empty(first.Events);
        Assert.Equal(body.Length, Number(repeat, "messaging.message.body.size"));
        Assert.Equal(order.ToString(), Tag(repeat, "messaging.message.conversation_id"));
        Assert.Equal(messageId.ToString(), Tag(repeat, "messaging.message.id"));
        Assert.NotEqual(Number(first, "messaging.rabbitmq.message.delivery_tag"), Number(repeat, "messaging.rabbitmq.message.delivery_tag"));
        Assert.NotEmpty(metrics.Values("shop.messaging.consumed", $"queue={Queue}", "outcome=duplicate"));
        Assert.NotEmpty(metrics.Values("shop.messaging.process.duration", $"queue={Queue}", "outcome=duplicate"));

        // One Information line for the duplicate, naming message, type and order; the Debug "applied" line only for the first.
        var lines = HandlerLogs(logs, messageId);
        var duplicate = Assert.Single(lines, e => e.Level == LogLevel.Information);
        Assert.Equal($"Duplicate message {messageId} (OrderCreated) for order {order} absorbed by the inbox", duplicate.Message);
        Assert.Equal(order.ToString(), duplicate.Property("OrderId"));
        Assert.Single(lines, e => e.Level == LogLevel.Debug && e.Message.StartsWith("Applied message", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dead_lettered_message_has_an_error_span_naming_the_reason_an_error_line_naming_it_and_its_metrics()
    {
        using var probe = new MessagingProbe();
        using var metrics = new MetricsRecorder();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        var logs = await StartRecordedPaymentsAsync();
        var poison = Guid.NewGuid();
        var order = Guid.NewGuid();

        // Well-formed, so it reaches the handler, which refuses it.
        await broker.PublishAsync(ShopTopology.OrdersExchange, RoutingKey, nameof(OrderCreated),
            $"{{\"orderId\":\"{order}\",\"userId\":{ShopSystem.NewUserId()},\"amount\":-5}}", poison, order);
        var span = Assert.Single(await SpansAsync(probe, poison, 1));

        Assert.Equal(MessagingMetrics.OutcomeDeadLettered, Tag(span, MessagingTelemetry.Outcome));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.StartsWith("dead-lettered: ", span.StatusDescription, StringComparison.Ordinal);
        Assert.Contains("amount -5", span.StatusDescription, StringComparison.Ordinal);
        Assert.NotEmpty(metrics.Values("shop.messaging.consumed", $"queue={Queue}", "outcome=dead_lettered"));
        Assert.NotEmpty(metrics.Values("shop.messaging.process.duration", $"queue={Queue}", "outcome=dead_lettered"));

        var error = Assert.Single(HandlerLogs(logs, poison), e => e.Level == LogLevel.Error);
        Assert.Equal(nameof(OrderCreated), error.Property("MessageType"));
        Assert.Equal(Queue, error.Property("Queue"));
        Assert.Contains("amount -5", error.Property("Reason"), StringComparison.Ordinal);
        Assert.StartsWith($"Dead-lettering message {poison} (OrderCreated) from {Queue}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("amount -5", error.Message, StringComparison.Ordinal);

        var dead = Assert.Single(await Eventually.UntilAsync(() => broker.PeekAsync(DeadLetterQueue), m => m.Count > 0, "the dead letter"));
        Assert.Equal(poison.ToString(), dead.MessageId);
        await broker.DrainAsync(DeadLetterQueue);
    }

    [Fact]
    public async Task A_failed_attempt_is_an_exception_event_on_the_span_a_retry_counted_with_its_queue_and_a_warning_naming_the_message()
    {
        using var probe = new MessagingProbe();
        using var metrics = new MetricsRecorder();
        var fault = new InboxFault { FailuresBefore = 2 };
        var logs = await StartRecordedPaymentsAsync(FaultInjection.Inbox<PaymentsDbContext>(fault));
        var user = await system.NewUserWithBalanceAsync(10);

        var order = (await system.Client.PlaceOrderAsync(user, 10)).Id;
        var (messageId, _) = await OrderCreatedRowAsync(order);
        var span = Assert.Single(await SpansAsync(probe, messageId, 1));

        // Two attempts failed (a timeout: transient), the third applied it.
        Assert.Equal(MessagingMetrics.OutcomeApplied, Tag(span, MessagingTelemetry.Outcome));
        Assert.Equal(3, Number(span, "shop.messaging.attempt"));
        var failures = span.Events.Where(e => e.Name == "exception").ToList();
        Assert.Equal([1L, 2L], failures.Select(e => Number(e.Tags, "shop.messaging.attempt")));
        Assert.All(failures, e => Assert.Equal(true, Value(e.Tags, "shop.messaging.transient")));
        Assert.All(failures, e => Assert.Equal(typeof(TimeoutException).FullName, Value(e.Tags, "exception.type")));
        Assert.Equal(2, metrics.Sum("shop.messaging.retries", $"queue={Queue}", "transient=True"));

        var warnings = HandlerLogs(logs, messageId).Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.Equal(["1", "2"], warnings.Select(e => e.Property("Attempt")));
        Assert.All(warnings, e =>
        {
            Assert.Equal(nameof(OrderCreated), e.Property("MessageType"));
            Assert.Equal("True", e.Property("Transient"));
            Assert.IsType<TimeoutException>(e.Exception);
            Assert.Contains($"first {messageId} (OrderCreated), failed on attempt {e.Property("Attempt")} (transient: True)", e.Message,
                StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_batch_of_several_logs_in_a_scope_of_its_queue_and_size_and_warns_before_applying_its_messages_one_by_one()
    {
        using var probe = new MessagingProbe();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.DrainAsync(DeadLetterQueue);
        // One worker, whose first unit of work waits at the gate while the next deliveries pile up behind it.
        var fault = new InboxFault { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var logs = await StartRecordedPaymentsAsync(services =>
        {
            FaultInjection.Inbox<PaymentsDbContext>(fault)(services);
            services.Configure<MessagingOptions>(options =>
            {
                options.BatchSize = 64;
                options.ConsumerConcurrency = 1;
            });
        });
        var user = await system.NewUserWithBalanceAsync(20);
        var held = (await system.Client.PlaceOrderAsync(user, 10)).Id;
        await fault.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var poison = Guid.NewGuid();
        await broker.PublishAsync(ShopTopology.OrdersExchange, RoutingKey, nameof(OrderCreated),
            $"{{\"orderId\":\"{Guid.NewGuid()}\",\"userId\":{user},\"amount\":-5}}", poison);
        await probe.WaitForBufferedAsync(Queue, 1);
        var next = (await system.Client.PlaceOrderAsync(user, 10)).Id;
        await probe.WaitForBufferedAsync(Queue, 2);
        fault.Gate!.SetResult();

        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, held)).Status);
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, next)).Status);
        Assert.Equal(MessagingMetrics.OutcomeDeadLettered, Tag(Assert.Single(await SpansAsync(probe, poison, 1)), MessagingTelemetry.Outcome));
        Assert.Contains(fault.Batches, batch => batch.Count == 2 && batch[0] == poison);

        // The failed batch of two: one warning naming its size, queue and first message, in the scope of its queue and size.
        var splitting = Assert.Single(logs.Entries, e => e.Category == HandlerCategory && e.Message.EndsWith("applying them one by one", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, splitting.Level);
        Assert.Equal($"A batch of 2 messages from {Queue} (first {poison}) failed; applying them one by one", splitting.Message);
        Assert.IsType<PoisonMessageException>(splitting.Exception);
        var scope = Assert.Single(splitting.Scopes, s => s.ContainsKey("Queue"));
        Assert.Equal(Queue, Text(scope, "Queue"));
        Assert.Equal("2", Text(scope, "BatchSize"));
        Assert.False(scope.ContainsKey("MessageId"), "a batch of several names no single message in its scope");
        // The poison's dead letter, applied alone inside that batch, is logged in the same scope.
        var error = Assert.Single(HandlerLogs(logs, poison), e => e.Level == LogLevel.Error);
        Assert.Equal("2", Text(Assert.Single(error.Scopes, s => s.ContainsKey("Queue")), "BatchSize"));
        await broker.DrainAsync(DeadLetterQueue);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A healthy Payments, logging as configured, takes the recorded one's place after each test, passed or not.</summary>
    public Task DisposeAsync() => system.ReplacePaymentsAsync();

    /// <summary>Replaces Payments with one whose inbox logs (Debug up) are recorded, and whose services <paramref name="configure"/> may change.</summary>
    private async Task<LogRecorder> StartRecordedPaymentsAsync(Action<IServiceCollection>? configure = null)
    {
        var logs = new LogRecorder();
        await system.ReplacePaymentsAsync(services =>
        {
            logs.AddTo(services, HandlerCategory);
            configure?.Invoke(services);
        });
        return logs;
    }

    /// <summary>The batch handler's records whose MessageId property is <paramref name="messageId"/>.</summary>
    private static List<RecordedLog> HandlerLogs(LogRecorder logs, Guid messageId) =>
        logs.Entries.Where(e => e.Category == HandlerCategory && e.Property("MessageId") == messageId.ToString()).ToList();

    private Task<(Guid Id, string Payload)> OrderCreatedRowAsync(Guid orderId) => system.OrdersOutboxRowAsync(orderId, nameof(OrderCreated));

    /// <summary>Waits until <paramref name="count"/> deliveries of the message have ended; returns their process spans.</summary>
    private static async Task<IReadOnlyList<Activity>> SpansAsync(MessagingProbe probe, Guid messageId, int count) =>
        [.. (await probe.WaitForDeliveriesAsync(messageId, count)).Select(delivery => delivery.Span)];

    private static string? Tag(Activity span, string name) => span.GetTagItem(name) as string;

    private static long? Number(Activity span, string name) =>
        span.GetTagItem(name) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    private static object? Value(IEnumerable<KeyValuePair<string, object?>> tags, string name) =>
        tags.FirstOrDefault(t => t.Key == name).Value;

    private static long? Number(IEnumerable<KeyValuePair<string, object?>> tags, string name) =>
        Value(tags, name) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    private static string? Text(IReadOnlyDictionary<string, object?> scope, string key) =>
        scope.TryGetValue(key, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
}
