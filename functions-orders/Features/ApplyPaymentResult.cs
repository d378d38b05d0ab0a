using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shop.Contracts;
using Shop.Messaging;
using Shop.Messaging.Outbox;
using Shop.Orders.Data;
using Shop.Orders.Domain;

namespace Shop.Orders.Features;

/// <summary>Moves the order PENDING → PAID/FAILED once and announces it with OrderStatusChanged.</summary>
public sealed partial class ApplyPaymentResult(OrdersDbContext db, IOutbox outbox, TimeProvider clock, ILogger<ApplyPaymentResult> logger)
    : IMessageHandler<PaymentCompleted>, IMessageHandler<PaymentFailed>
{
    public Task HandleAsync(PaymentCompleted message, MessageContext context, CancellationToken cancellationToken) =>
        ApplyAsync(message.OrderId, message.UserId, message.Amount, paid: true, reason: null, message.DecidedAt, context, cancellationToken);

    public Task HandleAsync(PaymentFailed message, MessageContext context, CancellationToken cancellationToken) =>
        ApplyAsync(message.OrderId, message.UserId, message.Amount, paid: false, message.Reason, message.DecidedAt, context, cancellationToken);

    private async Task ApplyAsync(Guid orderId, long userId, long amount, bool paid, string? reason, DateTimeOffset? decidedAt,
        MessageContext context, CancellationToken cancellationToken)
    {
        // The row lock orders this against any other result for the same order.
        var order = await db.Orders.FromSql($"SELECT * FROM orders WHERE id = {orderId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken)
            ?? throw new PoisonMessageException($"order {orderId} does not exist");
        if (order.UserId != userId || order.Amount != amount)
        {
            throw new PoisonMessageException(
                $"payment result for order {orderId} names user {userId} and amount {amount}; the order has user {order.UserId} and amount {order.Amount}");
        }

        var now = clock.GetUtcNow();
        if (!order.Complete(paid, reason, decidedAt, now))
        {
            LogAlreadyFinal(orderId, order.Status);
            return;
        }
        outbox.Enqueue(new OrderStatusChanged(order.Id, order.UserId, order.Status, order.Reason, now));
        // Counted once the change is committed, so a rolled-back attempt that is retried does not count the order twice.
        var completion = (now - order.CreatedAt).TotalSeconds;
        var status = order.Status;
        context.OnCommitted(() => OrdersMetrics.CompletionDuration.Record(completion, new KeyValuePair<string, object?>("status", status)));
        LogCompleted(orderId, order.Status, order.Reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} is {Status} (reason: {Reason})")]
    private partial void LogCompleted(Guid orderId, string status, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} is {Status} already; a second payment result changes nothing")]
    private partial void LogAlreadyFinal(Guid orderId, string status);
}
