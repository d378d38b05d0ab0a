namespace Shop.IntegrationTests.Invariants;

/// <summary>
/// The relay drains in creation order, in batches, safely with several instances at once, and runs on its timer by
/// itself (docs/architecture.md, I5 and I6).
/// </summary>
public sealed class RelayTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Relay_run_by_two_instances_at_once_publishes_every_row_once_in_creation_order()
    {
        const int rows = 600;
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var queue = (await broker.Channel.QueueDeclareAsync($"test.relay.{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await broker.Channel.QueueBindAsync(queue, ShopTopology.OrdersExchange, "order.status-changed");
        var marker = ShopSystem.NewUserId();
        // Dated an hour ahead, so the system's own relay (on the real clock) never takes them: only the two relays under test,
        // on a clock two hours ahead, publish these rows.
        var ids = await InsertOutboxRowsAsync(rows, marker, createdAgo: TimeSpan.FromHours(-1));

        using var first = BuildRelayHost("relay-a");
        using var second = BuildRelayHost("relay-b");
        var results = await Task.WhenAll(
            first.Services.GetRequiredService<IOutboxRelay>().DrainAsync(CancellationToken.None),
            second.Services.GetRequiredService<IOutboxRelay>().DrainAsync(CancellationToken.None));

        var received = new List<Guid>();
        await Eventually.UntilAsync(async () =>
        {
            while (await broker.Channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                using var body = System.Text.Json.JsonDocument.Parse(message.Body);
                if (body.RootElement.TryGetProperty("userId", out var userId) && userId.GetInt64() == marker)
                {
                    received.Add(Guid.Parse(message.BasicProperties.MessageId!));
                }
            }
            return received.Count;
        }, count => count >= rows, $"{rows} relayed messages");

        Assert.Equal(ids, received); // every row, once, in creation order
        Assert.Equal(0, await system.OrdersDb.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL AND (payload->>'userId')::bigint = $1", marker));
        Assert.True(results.Sum(r => r.Failed) == 0, "no publish failed");
        Assert.Equal(rows, results.Sum(r => r.Published));
        // Both really relayed (each waits for the other's batch under the lock): "two instances at once" is not one instance twice.
        Assert.All(results, r => Assert.True(r.Published >= 50, $"each relay published a batch at least; they published {string.Join(" and ", results.Select(x => x.Published))}"));
    }

    [Fact]
    public async Task A_row_left_unpublished_with_no_commit_to_wake_the_relay_is_sent_by_the_timer()
    {
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var queue = (await broker.Channel.QueueDeclareAsync($"test.relay.{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await broker.Channel.QueueBindAsync(queue, ShopTopology.OrdersExchange, "order.status-changed");
        var marker = ShopSystem.NewUserId();
        // Written straight into the table, as a crash between commit and publish leaves it: no dispatch and no signal know of it.
        var id = Assert.Single(await InsertOutboxRowsAsync(1, marker, createdAgo: TimeSpan.FromMinutes(1)));

        // RelayOutbox runs every 10 s on the development host's timer.
        var message = await Eventually.UntilAsync(() => broker.Channel.BasicGetAsync(queue, autoAck: true), m => m is not null,
            $"outbox row {id} to be relayed by the timer", TimeSpan.FromSeconds(30));

        Assert.Equal(id.ToString(), message!.BasicProperties.MessageId);
        await Eventually.UntilAsync(() => system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE id = $1 AND published_at IS NOT NULL", id),
            n => n == 1, $"outbox row {id} to be marked published");
    }

    private async Task<List<Guid>> InsertOutboxRowsAsync(int count, long marker, TimeSpan createdAgo = default)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToList();
        await using var connection = await system.OrdersDb.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var id in ids)
        {
            await using var insert = new Npgsql.NpgsqlCommand("""
                INSERT INTO outbox_messages (id, type, exchange, routing_key, payload, correlation_id, created_at, attempts)
                VALUES ($1, 'OrderStatusChanged', 'shop.orders', 'order.status-changed', $2::json, $1, now() - $3, 0)
                """, connection, transaction);
            insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
            insert.Parameters.Add(new Npgsql.NpgsqlParameter
            {
                Value = $"{{\"orderId\":\"{id}\",\"userId\":{marker},\"status\":\"PAID\",\"reason\":null,\"changedAt\":\"2026-01-01T00:00:00Z\"}}",
            });
            insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = createdAgo });
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return ids;
    }

    /// <summary>Another instance of the Orders relay (not started: only its relay is used), on the same database and broker.</summary>
    private IHost BuildRelayHost(string name)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2)));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{OrdersExtensions.DatabaseConnectionName}"] = system.OrdersConnectionString,
            [$"ConnectionStrings:{OrdersExtensions.BrokerConnectionName}"] = system.BrokerUri,
            ["Messaging:RelayBatchSize"] = "50",
        });
        builder.AddServiceDatabase<OrdersDbContext>(OrdersExtensions.DatabaseConnectionName);
        builder.AddMessaging<OrdersDbContext>(OrdersExtensions.BrokerConnectionName, name, ShopEvents.Contract);
        return builder.Build();
    }
}
