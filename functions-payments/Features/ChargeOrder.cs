using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.Contracts;
using Shop.Messaging;
using Shop.Messaging.Outbox;
using Shop.Payments.Data;
using Shop.Payments.Domain;
using Shop.Persistence;

namespace Shop.Payments.Features;

/// <summary>
/// Charges each order once: debits the balance if it covers the amount (never below zero), records the charge, and
/// answers with PaymentCompleted or PaymentFailed, all in the consumer's transaction. A batch's orders are charged in
/// delivery order, so several orders of one user in one batch see each other's debits.
/// </summary>
public sealed partial class ChargeOrder(PaymentsDbContext db, IOutbox outbox, TimeProvider clock, ILogger<ChargeOrder> logger)
    : IMessageBatchHandler<OrderCreated>
{
    public async Task HandleAsync(IReadOnlyList<IncomingMessage<OrderCreated>> messages, CancellationToken cancellationToken)
    {
        foreach (var (message, _) in messages)
        {
            if (message.UserId <= 0 || message.Amount <= 0 || message.OrderId == Guid.Empty)
            {
                throw new PoisonMessageException($"OrderCreated for order {message.OrderId} has user {message.UserId} and amount {message.Amount}");
            }
        }
        var userIds = messages.Select(m => m.Message.UserId).Distinct().ToArray();
        var orderIds = messages.Select(m => m.Message.OrderId).ToArray();
        var (accounts, charged) = await ReadAsync(userIds, orderIds, cancellationToken);

        foreach (var (message, context) in messages)
        {
            if (!accounts.TryGetValue(message.UserId, out var account))
            {
                Refuse(message, context, PaymentFailureReasons.AccountNotFound);
                continue;
            }
            if (!charged.Add(message.OrderId))
            {
                LogAlreadyCharged(message.OrderId);
                continue;
            }
            if (account.Balance < message.Amount)
            {
                Refuse(message, context, PaymentFailureReasons.InsufficientFunds);
                continue;
            }
            Charge(message, context, account);
        }
    }

    // The account row locks serialise every charge of a user; taken in user id order, two batches that share users
    // wait for each other instead of deadlocking. Both reads go to PostgreSQL in one round trip.
    private const string LockAccounts =
        "SELECT user_id, balance, created_at, updated_at FROM accounts WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE";
    private const string FindCharges = "SELECT order_id FROM transactions WHERE order_id = ANY($1)";

    /// <summary>
    /// Locks the batch's accounts and finds which of its orders are charged already. An account the context tracks
    /// already (an earlier call in the same transaction) is taken as tracked, with what that call changed.
    /// </summary>
    private async Task<(Dictionary<long, Account> Accounts, HashSet<Guid> Charged)> ReadAsync(
        long[] userIds, Guid[] orderIds, CancellationToken cancellationToken)
    {
        var transaction = db.Database.RequireTransaction("orders are charged in the consumer's transaction, which holds the account locks");
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(LockAccounts) { Parameters = { new NpgsqlParameter<long[]> { TypedValue = userIds } } },
                new NpgsqlBatchCommand(FindCharges) { Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = orderIds } } },
            },
        };
        var accounts = new Dictionary<long, Account>(userIds.Length);
        var charged = new HashSet<Guid>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var userId = reader.GetInt64(0);
            accounts[userId] = db.Accounts.TrackedOrAttached(userId, () => new Account
            {
                UserId = userId,
                Balance = reader.GetInt64(1),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(2),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(3),
            });
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            charged.Add(reader.GetGuid(0));
        }
        return (accounts, charged);
    }

    private void Charge(OrderCreated message, MessageContext context, Account account)
    {
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
        outbox.Enqueue(new PaymentCompleted(message.OrderId, message.UserId, message.Amount, now), context);
        LogCharged(message.OrderId, message.UserId, message.Amount, account.Balance);
    }

    private void Refuse(OrderCreated message, MessageContext context, string reason)
    {
        outbox.Enqueue(new PaymentFailed(message.OrderId, message.UserId, message.Amount, reason, clock.GetUtcNow()), context);
        LogRefused(message.OrderId, message.UserId, message.Amount, reason);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} charged {Amount} to user {UserId}; balance {Balance}")]
    private partial void LogCharged(Guid orderId, long userId, long amount, long balance);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} of user {UserId} for {Amount} refused: {Reason}")]
    private partial void LogRefused(Guid orderId, long userId, long amount, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was charged already; nothing is charged again")]
    private partial void LogAlreadyCharged(Guid orderId);
}
