using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.Contracts;
using Shop.Messaging;
using Shop.Messaging.Outbox;
using Shop.Orders.Data;
using Shop.Orders.Domain;
using Shop.Persistence;

namespace Shop.Orders.Features;

/// <summary>Moves each order PENDING → PAID/FAILED once and announces it with OrderStatusChanged.</summary>
public sealed partial class ApplyPaymentResult(OrdersDbContext db, IOutbox outbox, TimeProvider clock, ILogger<ApplyPaymentResult> logger)
    : IMessageBatchHandler<PaymentCompleted>, IMessageBatchHandler<PaymentFailed>
{
    private readonly record struct PaymentResult(
        Guid OrderId, long UserId, long Amount, bool Paid, string? Reason, DateTimeOffset? DecidedAt, MessageContext Context);

    public Task HandleAsync(IReadOnlyList<IncomingMessage<PaymentCompleted>> messages, CancellationToken cancellationToken) =>
        ApplyAsync(messages.Select(m => new PaymentResult(
            m.Message.OrderId, m.Message.UserId, m.Message.Amount, Paid: true, Reason: null, m.Message.DecidedAt, m.Context)).ToList(),
            cancellationToken);

    public Task HandleAsync(IReadOnlyList<IncomingMessage<PaymentFailed>> messages, CancellationToken cancellationToken) =>
        ApplyAsync(messages.Select(m => new PaymentResult(
            m.Message.OrderId, m.Message.UserId, m.Message.Amount, Paid: false, m.Message.Reason, m.Message.DecidedAt, m.Context)).ToList(),
            cancellationToken);

    private async Task ApplyAsync(List<PaymentResult> results, CancellationToken cancellationToken)
    {
        var ids = results.Select(r => r.OrderId).Distinct().ToArray();
        var orders = await LockAsync(ids, cancellationToken);

        var now = clock.GetUtcNow();
        foreach (var result in results)
        {
            if (!orders.TryGetValue(result.OrderId, out var order))
            {
                throw new PoisonMessageException($"order {result.OrderId} does not exist");
            }
            if (order.UserId != result.UserId || order.Amount != result.Amount)
            {
                throw new PoisonMessageException(
                    $"payment result for order {result.OrderId} names user {result.UserId} and amount {result.Amount}; the order has user {order.UserId} and amount {order.Amount}");
            }
            if (!order.Complete(result.Paid, result.Reason, result.DecidedAt, now))
            {
                LogAlreadyFinal(order.Id, order.Status);
                continue;
            }
            outbox.Enqueue(new OrderStatusChanged(order.Id, order.UserId, order.Status, order.Reason, now), result.Context);
            // Counted once the change is committed, so a rolled-back attempt that is retried does not count the order twice.
            var completion = (now - order.CreatedAt).TotalSeconds;
            var status = order.Status;
            result.Context.OnCommitted(() => OrdersMetrics.CompletionDuration.Record(completion, new KeyValuePair<string, object?>("status", status)));
            LogCompleted(order.Id, order.Status, order.Reason);
        }
    }

    // The row locks order this against any other result for the same orders; taken in id order, so batches cannot deadlock.
    private const string LockOrders = """
        SELECT id, sequence, user_id, amount, status, reason, idempotency_key, created_at, updated_at, payment_at
        FROM orders WHERE id = ANY($1) ORDER BY id FOR UPDATE
        """;

    /// <summary>Locks the orders and tracks them for SaveChanges; one plain command, no EF query.</summary>
    private async Task<Dictionary<Guid, Order>> LockAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        var transaction = db.Database.RequireTransaction("payment results are applied in the consumer's transaction, which holds the order locks");
        await using var command = new NpgsqlCommand(LockOrders, transaction.Connection, transaction)
        {
            Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = ids } },
        };
        var orders = new Dictionary<Guid, Order>(ids.Length);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            orders[id] = db.Orders.TrackedOrAttached(id, () => new Order
            {
                Id = id,
                Sequence = reader.GetInt64(1),
                UserId = reader.GetInt64(2),
                Amount = reader.GetInt64(3),
                Status = reader.GetString(4),
                Reason = reader.IsDBNull(5) ? null : reader.GetString(5),
                IdempotencyKey = reader.IsDBNull(6) ? null : reader.GetString(6),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(7),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(8),
                PaymentAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
            });
        }
        return orders;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} is {Status} (reason: {Reason})")]
    private partial void LogCompleted(Guid orderId, string status, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} is {Status} already; a second payment result changes nothing")]
    private partial void LogAlreadyFinal(Guid orderId, string status);
}
