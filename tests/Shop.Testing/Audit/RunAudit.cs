using System.Diagnostics;
using Npgsql;

namespace Shop.LoadTest.Audit;

/// <summary>
/// The consistency audit of a run, read straight from both databases and the broker once the system has drained:
/// every order final, top-ups − paid = balance ≥ 0 per user (and the charges are exactly the PAID orders),
/// no unpublished outbox row, no new dead letter.
/// </summary>
public sealed class RunAudit(LoadTestOptions options)
{
    private const int MaxListed = 10;

    public async Task<AuditResult> RunAsync(long firstUser, long lastUser, IReadOnlyCollection<Guid> accepted,
        IReadOnlyDictionary<string, long> deadLettersBefore, CancellationToken cancellationToken)
    {
        await using var orders = NpgsqlDataSource.Create(options.OrdersDb);
        await using var payments = NpgsqlDataSource.Create(options.PaymentsDb);
        var violations = new List<string>();
        var notes = new List<string>();

        var drain = Stopwatch.StartNew();
        long pending, unpublishedOrders, unpublishedPayments;
        while (true)
        {
            pending = await ScalarAsync(orders, "SELECT count(*) FROM orders WHERE user_id BETWEEN $1 AND $2 AND status = 'PENDING'", cancellationToken, firstUser, lastUser);
            unpublishedOrders = await ScalarAsync(orders, "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL", cancellationToken);
            unpublishedPayments = await ScalarAsync(payments, "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL", cancellationToken);
            if ((pending == 0 && unpublishedOrders == 0 && unpublishedPayments == 0) || drain.Elapsed > options.DrainTimeout)
            {
                break;
            }
            await Task.Delay(100, cancellationToken);
        }
        var drainSeconds = drain.Elapsed.TotalSeconds;

        // Orders: each accepted order exists and is final.
        var statuses = new Dictionary<Guid, (long User, long Amount, string Status)>();
        await using (var command = orders.CreateCommand("SELECT id, user_id, amount, status FROM orders WHERE user_id BETWEEN $1 AND $2"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = firstUser });
            command.Parameters.Add(new NpgsqlParameter { Value = lastUser });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                statuses[reader.GetGuid(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
            }
        }
        var missing = accepted.Where(id => !statuses.ContainsKey(id)).ToList();
        Report(violations, missing.Count, "accepted order(s) not in the Orders database", missing.Take(MaxListed).Select(id => id.ToString()));
        var stuck = statuses.Where(s => s.Value.Status is not ("PAID" or "FAILED")).Select(s => $"{s.Key} {s.Value.Status}").ToList();
        Report(violations, stuck.Count, $"order(s) not PAID or FAILED after {drainSeconds:F0} s of drain", stuck.Take(MaxListed));
        var unknown = statuses.Count - accepted.Count(statuses.ContainsKey);
        if (unknown > 0)
        {
            notes.Add($"{unknown} order(s) in the database whose POST did not answer 201 here (e.g. timed out after commit); audited too");
        }

        // Money, per user: the ledger adds up to the balance, the balance is not negative, the charges are the PAID orders.
        var ledger = new Dictionary<long, (long TopUps, long Charges, long? Balance)>();
        await using (var command = payments.CreateCommand("""
            SELECT a.user_id, a.balance,
                   coalesce(sum(t.amount) FILTER (WHERE t.kind = 'topup'), 0),
                   coalesce(sum(t.amount) FILTER (WHERE t.kind = 'charge'), 0)
            FROM accounts a LEFT JOIN transactions t ON t.user_id = a.user_id
            WHERE a.user_id BETWEEN $1 AND $2
            GROUP BY a.user_id, a.balance
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = firstUser });
            command.Parameters.Add(new NpgsqlParameter { Value = lastUser });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ledger[reader.GetInt64(0)] = (reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(1));
            }
        }
        var paidByUser = statuses.Values.Where(s => s.Status == "PAID").GroupBy(s => s.User).ToDictionary(g => g.Key, g => g.Sum(s => s.Amount));
        var moneyProblems = new List<string>();
        foreach (var (user, entry) in ledger)
        {
            if (entry.TopUps - entry.Charges != entry.Balance)
            {
                moneyProblems.Add($"user {user}: top-ups {entry.TopUps} − charges {entry.Charges} ≠ balance {entry.Balance}");
            }
            if (entry.Balance < 0)
            {
                moneyProblems.Add($"user {user}: balance {entry.Balance} < 0");
            }
            if (entry.Charges != paidByUser.GetValueOrDefault(user))
            {
                moneyProblems.Add($"user {user}: charges {entry.Charges} ≠ PAID orders {paidByUser.GetValueOrDefault(user)}");
            }
        }
        moneyProblems.AddRange(paidByUser.Keys.Where(u => !ledger.ContainsKey(u)).Select(u => $"user {u}: PAID orders but no account"));
        Report(violations, moneyProblems.Count, "money discrepancy(ies)", moneyProblems.Take(MaxListed));

        Report(violations, unpublishedOrders, "unpublished outbox row(s) in the Orders database", []);
        Report(violations, unpublishedPayments, "unpublished outbox row(s) in the Payments database", []);

        var deadLetters = await DeadLetterQueues.CountAsync(options.RabbitMq, cancellationToken);
        foreach (var (queue, count) in deadLetters)
        {
            var before = deadLettersBefore.GetValueOrDefault(queue);
            Report(violations, count - before, $"new message(s) in {queue}", []);
            if (before > 0)
            {
                notes.Add($"{queue} held {before} message(s) from before this run");
            }
        }

        var byStatus = statuses.Values.GroupBy(s => s.Status).ToDictionary(g => g.Key, g => (long)g.Count());
        return new AuditResult(violations.Count == 0, violations, notes, byStatus, ledger.Count, drainSeconds,
            unpublishedOrders, unpublishedPayments, deadLetters);
    }

    private static void Report(List<string> violations, long count, string what, IEnumerable<string> examples)
    {
        if (count > 0)
        {
            var listed = string.Join("; ", examples);
            violations.Add(listed.Length == 0 ? $"{count} {what}" : $"{count} {what}: {listed}");
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource source, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = source.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
