using Shop.FaultTests.Infrastructure;

namespace Shop.FaultTests.Audit;

/// <summary>Reads what both databases hold about the run's users, to be compared with what the clients were told.</summary>
public sealed class SystemAudit(ProcessSystem system)
{
    private static readonly DateTimeOffset Forever = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<List<OrderRow>> OrdersAsync() =>
        await system.OrdersDb.QueryAsync("SELECT id, user_id, amount, status FROM orders",
            r => new OrderRow(r.GetGuid(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3)));

    public async Task<List<LedgerRow>> LedgerAsync() =>
        await system.PaymentsDb.QueryAsync("SELECT user_id, kind, amount, order_id, idempotency_key FROM transactions",
            r => new LedgerRow(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetGuid(3), r.IsDBNull(4) ? null : r.GetString(4)));

    public async Task<Dictionary<long, long>> BalancesAsync() =>
        (await system.PaymentsDb.QueryAsync("SELECT user_id, balance FROM accounts", r => (r.GetInt64(0), r.GetInt64(1))))
            .ToDictionary(a => a.Item1, a => a.Item2);

    public async Task<(long Orders, long Payments)> UnpublishedOutboxAsync(DateTimeOffset? createdBefore = null)
    {
        const string sql = "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL AND created_at <= $1";
        var before = createdBefore ?? Forever;
        return (await system.OrdersDb.ScalarAsync(sql, before), await system.PaymentsDb.ScalarAsync(sql, before));
    }

    public Task<long> PendingOrdersAsync(DateTimeOffset? createdBefore = null) =>
        system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE status = 'PENDING' AND created_at <= $1", createdBefore ?? Forever);

    /// <summary>Work the system still owes for what happened up to <paramref name="before"/>: pending orders and unpublished events.</summary>
    public async Task<long> BacklogAsync(DateTimeOffset? before = null)
    {
        var (orders, payments) = await UnpublishedOutboxAsync(before);
        return await PendingOrdersAsync(before) + orders + payments;
    }
}

public sealed record OrderRow(Guid Id, long UserId, long Amount, string Status);

public sealed record LedgerRow(long UserId, string Kind, long Amount, Guid? OrderId, string? IdempotencyKey);
