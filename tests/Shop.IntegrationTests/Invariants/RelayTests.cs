using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using Shop.Contracts;
using Shop.IntegrationTests.Infrastructure;
using Shop.Messaging;
using Shop.Messaging.Outbox;
using Shop.Orders.Data;
using Shop.Orders.Extensions;

namespace Shop.IntegrationTests.Invariants;

/// <summary>DESIGN §6.2: the relay drains in creation order, in batches, safely with several instances at once.</summary>
[Collection(ShopCollection.Name)]
public sealed class RelayTests(ShopSystem system)
{
    [Fact]
    public async Task Relay_run_by_two_instances_at_once_publishes_every_row_once_in_creation_order()
    {
        const int rows = 600;
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var queue = (await broker.Channel.QueueDeclareAsync($"test.relay.{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await broker.Channel.QueueBindAsync(queue, ShopTopology.OrdersExchange, "order.status-changed");
        var marker = ShopSystem.NewUserId();
        var ids = await InsertOutboxRowsAsync(rows, marker);

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
    }

    private async Task<List<Guid>> InsertOutboxRowsAsync(int count, long marker)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToList();
        await using var connection = await system.OrdersDb.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var id in ids)
        {
            await using var insert = new Npgsql.NpgsqlCommand("""
                INSERT INTO outbox_messages (id, type, exchange, routing_key, payload, correlation_id, created_at, attempts)
                VALUES ($1, 'OrderStatusChanged', 'shop.orders', 'order.status-changed', $2::json, $1, now(), 0)
                """, connection, transaction);
            insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
            insert.Parameters.Add(new Npgsql.NpgsqlParameter
            {
                Value = $"{{\"orderId\":\"{id}\",\"userId\":{marker},\"status\":\"PAID\",\"reason\":null,\"changedAt\":\"2026-01-01T00:00:00Z\"}}",
            });
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return ids;
    }

    /// <summary>Another instance of the Orders relay (not started: only its relay is used), on the same database and broker.</summary>
    private IHost BuildRelayHost(string name)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{OrdersExtensions.DatabaseConnectionName}"] = system.OrdersConnectionString,
            [$"ConnectionStrings:{OrdersExtensions.BrokerConnectionName}"] = system.BrokerUri,
            ["Messaging:RelayBatchSize"] = "50",
            // The rows were just inserted; the relay's grace would leave them to a commit-time dispatch that never saw them.
            ["Messaging:RelayGrace"] = "00:00:00",
        });
        builder.AddServiceDatabase<OrdersDbContext>(OrdersExtensions.DatabaseConnectionName);
        builder.AddMessaging<OrdersDbContext>(OrdersExtensions.BrokerConnectionName, name);
        return builder.Build();
    }
}
