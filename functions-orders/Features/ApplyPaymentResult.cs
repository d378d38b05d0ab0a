using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shop.Contracts;
using Shop.Messaging;
using Shop.Messaging.Outbox;
using Shop.Orders.Data;
using Shop.Orders.Domain;

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
        // The row locks order this against any other result for the same orders; taken in id order, so batches cannot deadlock.
        var orders = await db.Orders
            .FromSql($"SELECT * FROM orders WHERE id = ANY({ids}) ORDER BY id FOR UPDATE")
            .ToDictionaryAsync(order => order.Id, cancellationToken);

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} is {Status} (reason: {Reason})")]
    private partial void LogCompleted(Guid orderId, string status, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} is {Status} already; a second payment result changes nothing")]
    private partial void LogAlreadyFinal(Guid orderId, string status);
}
