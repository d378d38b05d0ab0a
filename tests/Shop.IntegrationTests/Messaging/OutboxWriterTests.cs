namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// What <see cref="IOutbox.Enqueue{TEvent}(TEvent, MessageContext?)"/> writes, on a database of its own
/// (<see cref="MessagingStore"/>): a row with the event's route, its JSON, its order and the time of the app's clock,
/// and a span <c>outbox write {type}</c> naming the message, its order and its exchange, whose traceparent the row keeps
/// so the publish continues that trace. The span is a child of the message being handled when there is one, else of
/// whatever span is current.
/// </summary>
public sealed class OutboxWriterTests(MessagingStore store) : IClassFixture<MessagingStore>, IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<Activity> _writes = new();
    private readonly ActivitySource _test = new($"test.{Guid.NewGuid():N}");
    private ActivityListener? _listener;

    public Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.SourceName || source == _test,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                if (span.Source.Name == MessagingTelemetry.SourceName)
                {
                    _writes.Enqueue(span);
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
        _test.Dispose();
    }

    [Fact]
    public async Task An_event_is_written_as_a_row_of_its_route_json_order_and_time_with_the_traceparent_of_its_write_span()
    {
        var changed = new OrderStatusChanged(Guid.NewGuid(), 7, "FAILED", "insufficient_funds", new DateTimeOffset(2026, 3, 1, 11, 59, 0, TimeSpan.Zero));
        using var request = _test.StartActivity("request")!;

        var id = await EnqueueAndSaveAsync(changed, causedBy: null);

        var route = ShopTopology.RouteOf(typeof(OrderStatusChanged));
        var row = Assert.Single(await store.Db.QueryAsync(
            "SELECT id, type, exchange, routing_key, payload::text, correlation_id, trace_parent, created_at, published_at IS NULL, attempts FROM outbox_messages",
            r => (Id: r.GetGuid(0), Type: r.GetString(1), Exchange: r.GetString(2), RoutingKey: r.GetString(3), Payload: r.GetString(4),
                CorrelationId: r.GetGuid(5), TraceParent: r.IsDBNull(6) ? null : r.GetString(6), CreatedAt: r.GetFieldValue<DateTimeOffset>(7),
                Unpublished: r.GetBoolean(8), Attempts: r.GetInt32(9))));
        Assert.Equal(id, row.Id);
        Assert.Equal(nameof(OrderStatusChanged), row.Type);
        Assert.Equal(route.Exchange, row.Exchange);
        Assert.Equal(route.RoutingKey, row.RoutingKey);
        Assert.Equal(changed, JsonSerializer.Deserialize(row.Payload, ContractsJson.Default.OrderStatusChanged));
        Assert.Equal(changed.OrderId, row.CorrelationId);
        Assert.Equal(_clock.GetUtcNow(), row.CreatedAt);
        Assert.True(row.Unpublished);
        Assert.Equal(0, row.Attempts);

        // With no message being handled, the write is a child of the current span (here the request's).
        var write = Assert.Single(_writes, w => w.TraceId == request.TraceId);
        Assert.Equal(MessagingTelemetry.OutboxWriteSpanName(nameof(OrderStatusChanged)), write.DisplayName);
        Assert.Equal(request.SpanId, write.ParentSpanId);
        Assert.Equal(request.TraceId, write.TraceId);
        Assert.Equal(write.Id, row.TraceParent);
        AssertTags(write, id, changed.OrderId, route.Exchange);
    }

    [Fact]
    public async Task An_event_written_while_a_message_is_handled_continues_that_messages_trace_not_the_current_span()
    {
        var changed = new OrderStatusChanged(Guid.NewGuid(), 7, "PAID", null, new DateTimeOffset(2026, 3, 1, 11, 59, 0, TimeSpan.Zero));
        // A batch handler's messages each have a span of their own, while the batch's span is the current one.
        using var message = _test.StartActivity("process message", ActivityKind.Consumer, parentContext: default)!;
        using var batch = _test.StartActivity("batch", ActivityKind.Internal, parentContext: default)!;
        var context = new MessageContext(Guid.NewGuid(), nameof(PaymentCompleted), ShopTopology.OrdersPaymentResultsQueue, Redelivered: false, message.Id)
        {
            Activity = message,
        };
        Assert.Same(batch, Activity.Current);

        var id = await EnqueueAndSaveAsync(changed, context);

        // Other tests' writes may be recorded too: only this test's two traces count.
        var write = Assert.Single(_writes, w => w.TraceId == message.TraceId || w.TraceId == batch.TraceId);
        Assert.Equal(message.TraceId, write.TraceId);
        Assert.Equal(message.SpanId, write.ParentSpanId);
        Assert.Equal(write.Id, Assert.Single(await store.Db.QueryAsync("SELECT trace_parent FROM outbox_messages WHERE id = $1", r => r.GetString(0), id)));
        AssertTags(write, id, changed.OrderId, ShopTopology.RouteOf(typeof(OrderStatusChanged)).Exchange);
    }

    private static void AssertTags(Activity write, Guid id, Guid orderId, string exchange)
    {
        Assert.Equal(id.ToString(), write.GetTagItem("messaging.message.id"));
        Assert.Equal(orderId.ToString(), write.GetTagItem("messaging.message.conversation_id"));
        Assert.Equal(exchange, write.GetTagItem("messaging.destination.name"));
    }

    /// <summary>Writes <paramref name="changed"/> to the outbox and commits it; answers the id of its row.</summary>
    private async Task<Guid> EnqueueAndSaveAsync(OrderStatusChanged changed, MessageContext? causedBy)
    {
        using var host = store.BuildHost(services => services.AddSingleton<TimeProvider>(_clock));
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        scope.ServiceProvider.GetRequiredService<IOutbox>().Enqueue(changed, causedBy);
        var id = Assert.Single(db.ChangeTracker.Entries<OutboxMessage>()).Entity.Id;
        await db.SaveChangesAsync();
        return id;
    }
}
