namespace Shop.IntegrationTests.Observability;

/// <summary>The metrics of the issue, with sane values after a small run on the real system.</summary>
public sealed class MessagingMetricsTests(ShopSystem system) : ShopTests
{
    private const string Orders = "service=orders";
    private const string Payments = "service=payments";

    [Fact]
    public async Task A_small_run_publishes_confirms_consumes_and_times_each_order()
    {
        using var metrics = new MetricsRecorder();
        var user = await system.NewUserWithBalanceAsync(100);

        // One at a time: Payments charges concurrently, and the refusal must come last.
        foreach (var (amount, status) in new[] { (30, "PAID"), (30, "PAID"), (50, "FAILED") })
        {
            var order = await system.Client.PlaceOrderAsync(user, amount);
            Assert.Equal(status, (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
        }
        await Eventually.UntilAsync(() => Task.FromResult(metrics.Sum("shop.messaging.published", Orders)), n => n >= 6,
            "OrderCreated and OrderStatusChanged of three orders published");

        Assert.True(metrics.Sum("shop.messaging.published", Payments) >= 3);
        Assert.True(metrics.Sum("shop.messaging.consumed", $"queue={ShopTopology.PaymentsOrderCreatedQueue}", "outcome=applied") >= 3);
        Assert.True(metrics.Sum("shop.messaging.consumed", $"queue={ShopTopology.OrdersPaymentResultsQueue}", "outcome=applied") >= 3);
        AssertSeconds(metrics.Values("shop.messaging.publish.duration", $"exchange={ShopTopology.OrdersExchange}", "outcome=confirmed"), atLeast: 6, below: 5);
        AssertSeconds(metrics.Values("shop.messaging.publish.duration", $"exchange={ShopTopology.PaymentsExchange}", "outcome=confirmed"), atLeast: 3, below: 5);
        AssertSeconds(metrics.Values("shop.messaging.process.duration", $"queue={ShopTopology.PaymentsOrderCreatedQueue}", "outcome=applied"), atLeast: 3, below: 5);
        AssertSeconds(metrics.Values("shop.orders.completion.duration", "status=PAID"), atLeast: 2, below: 20);
        AssertSeconds(metrics.Values("shop.orders.completion.duration", "status=FAILED"), atLeast: 1, below: 20);

        // Nothing is left behind: both outboxes drain to an empty backlog.
        await WaitForGaugeAsync(metrics, MessagingMetrics.OutboxBacklogName, Orders, v => v == 0, "the Orders outbox backlog at 0");
        await WaitForGaugeAsync(metrics, MessagingMetrics.OutboxBacklogName, Payments, v => v == 0, "the Payments outbox backlog at 0");
        Assert.Equal(0, metrics.Observe(MessagingMetrics.OutboxOldestAgeName, Orders));
    }

    [Fact]
    public async Task Backlog_and_oldest_age_rise_while_the_relay_is_held_and_fall_to_zero_when_it_runs()
    {
        using var metrics = new MetricsRecorder();
        // Holding the relay's advisory lock stops every relay of the Orders database, as a stuck relay would be.
        await using var relayLock = await system.OrdersDb.OpenConnectionAsync();
        await ExecuteAsync(relayLock, $"SELECT pg_advisory_lock({OutboxRelay<OrdersDbContext>.RelayLockKey})");
        try
        {
            // A status change written five seconds ago (for an order no page watches), waiting for the relay.
            var route = ShopTopology.RouteOf(typeof(OrderStatusChanged));
            var orderId = Guid.NewGuid();
            var payload = $$"""{"orderId":"{{orderId}}","userId":{{ShopSystem.NewUserId()}},"status":"PAID","reason":null,"changedAt":"{{DateTimeOffset.UtcNow:O}}"}""";
            await system.OrdersDb.ExecuteAsync(
                "INSERT INTO outbox_messages (id, type, exchange, routing_key, payload, correlation_id, created_at, attempts) " +
                "VALUES ($1, $2, $3, $4, $5::json, $6, now() - interval '5 seconds', 0)",
                Guid.CreateVersion7(), route.TypeName, route.Exchange, route.RoutingKey, payload, orderId);

            // Waited for, not read once: a sample taken just before the insert can already show a backlog of 1 (a row
            // another test's commit dispatched a moment ago, its mark not yet written), with that row's small age.
            await WaitForGaugeAsync(metrics, MessagingMetrics.OutboxBacklogName, Orders, v => v >= 1, "the Orders outbox backlog to show the row");
            await WaitForGaugeAsync(metrics, MessagingMetrics.OutboxOldestAgeName, Orders, v => v >= 4.5,
                "the oldest row's age, counted from its creation five seconds ago");
        }
        finally
        {
            await ExecuteAsync(relayLock, $"SELECT pg_advisory_unlock({OutboxRelay<OrdersDbContext>.RelayLockKey})");
        }

        system.Orders.Services.GetRequiredService<IOutboxSignal>().Notify();
        await WaitForGaugeAsync(metrics, MessagingMetrics.OutboxBacklogName, Orders, v => v == 0, "the Orders outbox backlog back at 0");
        await WaitForGaugeAsync(metrics, MessagingMetrics.OutboxOldestAgeName, Orders, v => v == 0, "the oldest age back at 0");
    }

    [Fact]
    public async Task A_duplicate_delivery_raises_the_duplicates_count()
    {
        using var metrics = new MetricsRecorder();
        var (user, order) = await system.PlacePaidOrderAsync(100, 10);
        var duplicates = $"queue={ShopTopology.PaymentsOrderCreatedQueue}";

        await using (var command = system.OrdersDb.CreateCommand("SELECT id, payload::text FROM outbox_messages WHERE correlation_id = $1 AND type = $2"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = order.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = nameof(OrderCreated) });
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
            await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), reader.GetString(1), reader.GetGuid(0), order.Id);
        }

        await Eventually.UntilAsync(() => Task.FromResult(metrics.Sum("shop.messaging.consumed", duplicates, "outcome=duplicate")), n => n >= 1,
            "the duplicate absorbed by the Payments inbox");
        Assert.Equal(0, metrics.Sum("shop.messaging.consumed", duplicates, "outcome=dead_lettered"));
        Assert.Equal(90, (await system.Client.GetBalanceAsync(user)).Balance);
    }

    private static void AssertSeconds(IReadOnlyList<double> values, int atLeast, double below)
    {
        Assert.True(values.Count >= atLeast, $"expected at least {atLeast} measurements, got {values.Count}");
        Assert.All(values, v => Assert.InRange(v, 0, below));
    }

    private static Task WaitForGaugeAsync(MetricsRecorder metrics, string gauge, string service, Func<double, bool> done, string what) =>
        Eventually.UntilAsync(() => Task.FromResult(metrics.Observe(gauge, service)), v => v is { } value && done(value), what);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
