namespace Shop.Testing.Audit;

/// <summary>Reads what both databases hold about a run's users, to be compared with what the clients were told.</summary>
public sealed class SystemAudit(NpgsqlDataSource ordersDb, NpgsqlDataSource paymentsDb)
{
    private static readonly DateTimeOffset Forever = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<List<OrderRow>> OrdersAsync() =>
        await ordersDb.QueryAsync("SELECT id, user_id, amount, status FROM orders", ReadOrder);

    /// <summary>The orders of users <paramref name="firstUser"/> to <paramref name="lastUser"/>, both included.</summary>
    public async Task<List<OrderRow>> OrdersAsync(long firstUser, long lastUser, CancellationToken cancellationToken) =>
        await ordersDb.QueryAsync("SELECT id, user_id, amount, status FROM orders WHERE user_id BETWEEN $1 AND $2", ReadOrder,
            cancellationToken, firstUser, lastUser);

    public async Task<List<LedgerRow>> LedgerAsync() =>
        await paymentsDb.QueryAsync("SELECT user_id, kind, amount, order_id, idempotency_key FROM transactions",
            r => new LedgerRow(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetGuid(3), r.IsDBNull(4) ? null : r.GetString(4)));

    /// <summary>Each account of users <paramref name="firstUser"/> to <paramref name="lastUser"/> with the sums of its ledger.</summary>
    public async Task<List<AccountLedger>> AccountLedgersAsync(long firstUser, long lastUser, CancellationToken cancellationToken) =>
        await paymentsDb.QueryAsync("""
            SELECT a.user_id, a.balance,
                   coalesce(sum(t.amount) FILTER (WHERE t.kind = 'topup'), 0),
                   coalesce(sum(t.amount) FILTER (WHERE t.kind = 'charge'), 0)
            FROM accounts a LEFT JOIN transactions t ON t.user_id = a.user_id
            WHERE a.user_id BETWEEN $1 AND $2
            GROUP BY a.user_id, a.balance
            """, r => new AccountLedger(r.GetInt64(0), r.GetInt64(2), r.GetInt64(3), r.GetInt64(1)), cancellationToken, firstUser, lastUser);

    public async Task<Dictionary<long, long>> BalancesAsync() =>
        (await paymentsDb.QueryAsync("SELECT user_id, balance FROM accounts", r => (r.GetInt64(0), r.GetInt64(1))))
            .ToDictionary(a => a.Item1, a => a.Item2);

    public async Task<(long Orders, long Payments)> UnpublishedOutboxAsync(DateTimeOffset? createdBefore = null, CancellationToken cancellationToken = default)
    {
        const string sql = $"SELECT count(*) FROM {MessagingTables.Outbox} WHERE published_at IS NULL AND created_at <= $1";
        var before = createdBefore ?? Forever;
        return (await ordersDb.ScalarAsync(sql, cancellationToken, before), await paymentsDb.ScalarAsync(sql, cancellationToken, before));
    }

    public Task<long> PendingOrdersAsync(DateTimeOffset? createdBefore = null) =>
        ordersDb.ScalarAsync("SELECT count(*) FROM orders WHERE status = 'PENDING' AND created_at <= $1", createdBefore ?? Forever);

    /// <summary>Orders of users <paramref name="firstUser"/> to <paramref name="lastUser"/> still PENDING.</summary>
    public Task<long> PendingOrdersAsync(long firstUser, long lastUser, CancellationToken cancellationToken) =>
        ordersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id BETWEEN $1 AND $2 AND status = 'PENDING'", cancellationToken, firstUser, lastUser);

    /// <summary>Work the system still owes for what happened up to <paramref name="before"/>: pending orders and unpublished events.</summary>
    public async Task<long> BacklogAsync(DateTimeOffset? before = null)
    {
        var (orders, payments) = await UnpublishedOutboxAsync(before);
        return await PendingOrdersAsync(before) + orders + payments;
    }

    private static OrderRow ReadOrder(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3));
}
