using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shop.Contracts;
using Shop.Messaging;
using Shop.Messaging.Outbox;
using Shop.Payments.Data;
using Shop.Payments.Domain;

namespace Shop.Payments.Features;

/// <summary>
/// Charges an order once: debits the balance if it covers the amount (never below zero), records the charge,
/// and answers with PaymentCompleted or PaymentFailed, all in the consumer's transaction.
/// </summary>
public sealed partial class ChargeOrder(PaymentsDbContext db, IOutbox outbox, TimeProvider clock, ILogger<ChargeOrder> logger)
    : IMessageHandler<OrderCreated>
{
    public async Task HandleAsync(OrderCreated message, MessageContext context, CancellationToken cancellationToken)
    {
        if (message.UserId <= 0 || message.Amount <= 0 || message.OrderId == Guid.Empty)
        {
            throw new PoisonMessageException($"OrderCreated for order {message.OrderId} has user {message.UserId} and amount {message.Amount}");
        }

        // The account row lock serialises every charge of this user: concurrent orders cannot overdraw it.
        var account = await db.Accounts.FromSql($"SELECT * FROM accounts WHERE user_id = {message.UserId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            Refuse(message, PaymentFailureReasons.AccountNotFound);
            return;
        }
        if (await db.Ledger.AnyAsync(e => e.OrderId == message.OrderId, cancellationToken))
        {
            LogAlreadyCharged(message.OrderId);
            return;
        }
        if (account.Balance < message.Amount)
        {
            Refuse(message, PaymentFailureReasons.InsufficientFunds);
            return;
        }

        var now = clock.GetUtcNow();
        account.Balance -= message.Amount;
        account.UpdatedAt = now;
        db.Ledger.Add(new LedgerEntry
        {
            Id = Guid.CreateVersion7(),
            UserId = message.UserId,
            Kind = LedgerEntryKind.Charge,
            Amount = message.Amount,
            OrderId = message.OrderId,
            BalanceAfter = account.Balance,
            CreatedAt = now,
        });
        outbox.Enqueue(new PaymentCompleted(message.OrderId, message.UserId, message.Amount, now));
        LogCharged(message.OrderId, message.UserId, message.Amount, account.Balance);
    }

    private void Refuse(OrderCreated message, string reason)
    {
        outbox.Enqueue(new PaymentFailed(message.OrderId, message.UserId, message.Amount, reason, clock.GetUtcNow()));
        LogRefused(message.OrderId, message.UserId, message.Amount, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} charged {Amount} to user {UserId}; balance {Balance}")]
    private partial void LogCharged(Guid orderId, long userId, long amount, long balance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} of user {UserId} for {Amount} refused: {Reason}")]
    private partial void LogRefused(Guid orderId, long userId, long amount, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was charged already; nothing is charged again")]
    private partial void LogAlreadyCharged(Guid orderId);
}
