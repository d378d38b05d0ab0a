namespace Shop.FaultTests.Infrastructure;

/// <summary>Duplicate deliveries (events already consumed, sent again with their own message id) and poison messages.</summary>
public static class MessageInjection
{
    /// <summary>Re-publishes a sample of published events from both outboxes, exactly as the relay sent them; returns how many.</summary>
    public static async Task<int> RepublishConsumedAsync(ProcessSystem system, RawBroker broker, int perDatabase)
    {
        var sent = 0;
        foreach (var (db, types) in new[] { (system.OrdersDb, "'OrderCreated'"), (system.PaymentsDb, "'PaymentCompleted','PaymentFailed'") })
        {
            var rows = await db.QueryAsync(
                $"SELECT id, type, exchange, routing_key, payload::text, correlation_id FROM outbox_messages " +
                $"WHERE published_at IS NOT NULL AND type IN ({types}) ORDER BY random() LIMIT {perDatabase}",
                r => (Id: r.GetGuid(0), Type: r.GetString(1), Exchange: r.GetString(2), RoutingKey: r.GetString(3), Payload: r.GetString(4), CorrelationId: r.GetGuid(5)));
            foreach (var row in rows)
            {
                await broker.PublishAsync(row.Exchange, row.RoutingKey, row.Type, row.Payload, row.Id, row.CorrelationId);
                sent++;
            }
        }
        return sent;
    }

    /// <summary>Messages Payments can never apply: broken JSON, a type nobody knows, a negative amount. Returns their message ids.</summary>
    public static async Task<IReadOnlyList<PoisonMessage>> PublishPoisonAsync(RawBroker broker, long userId, string? onlyKind = null)
    {
        var route = ShopTopology.RouteOf(typeof(OrderCreated));
        var valid = JsonSerializer.Serialize(new OrderCreated(Guid.NewGuid(), userId, 100), ContractsJson.Default.OrderCreated);
        PoisonMessage[] poison =
        [
            new(Guid.NewGuid(), "invalid JSON", nameof(OrderCreated), "{\"orderId\": \"3f2a"),
            new(Guid.NewGuid(), "unknown type", "OrderTeleported", valid),
            new(Guid.NewGuid(), "amount -5", nameof(OrderCreated),
                JsonSerializer.Serialize(new OrderCreated(Guid.NewGuid(), userId, -5), ContractsJson.Default.OrderCreated)),
        ];
        poison = [.. poison.Where(p => onlyKind is null || p.Kind == onlyKind)];
        foreach (var message in poison)
        {
            await broker.PublishAsync(route.Exchange, route.RoutingKey, message.Type, message.Body, message.MessageId);
        }
        return poison;
    }
}

public sealed record PoisonMessage(Guid MessageId, string Kind, string Type, string Body);
