namespace Shop.Testing.Audit;

/// <summary>
/// The consistency audit of a load run, read straight from both databases and the broker once the system has drained:
/// every order final, top-ups − paid = balance ≥ 0 per user (and the charges are exactly the PAID orders),
/// no unpublished outbox row, no new dead letter.
/// </summary>
public sealed class RunAudit(string ordersDb, string paymentsDb, string rabbitMq, TimeSpan drainTimeout)
{
    private const int MaxListed = 10;

    public async Task<AuditResult> RunAsync(long firstUser, long lastUser, IReadOnlyCollection<Guid> accepted,
        IReadOnlyDictionary<string, long> deadLettersBefore, CancellationToken cancellationToken)
    {
        await using var orders = NpgsqlDataSource.Create(ordersDb);
        await using var payments = NpgsqlDataSource.Create(paymentsDb);
        var audit = new SystemAudit(orders, payments);
        var violations = new List<string>();
        var notes = new List<string>();

        var drain = Stopwatch.StartNew();
        long pending, unpublishedOrders, unpublishedPayments;
        while (true)
        {
            pending = await audit.PendingOrdersAsync(firstUser, lastUser, cancellationToken);
            (unpublishedOrders, unpublishedPayments) = await audit.UnpublishedOutboxAsync(cancellationToken: cancellationToken);
            if ((pending == 0 && unpublishedOrders == 0 && unpublishedPayments == 0) || drain.Elapsed > drainTimeout)
            {
                break;
            }
            await Task.Delay(100, cancellationToken);
        }
        var drainSeconds = drain.Elapsed.TotalSeconds;

        // Orders: each accepted order exists and is final.
        var statuses = (await audit.OrdersAsync(firstUser, lastUser, cancellationToken)).ToDictionary(o => o.Id);
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
        var ledger = (await audit.AccountLedgersAsync(firstUser, lastUser, cancellationToken)).ToDictionary(a => a.UserId);
        var paidByUser = statuses.Values.Where(s => s.Status == "PAID").GroupBy(s => s.UserId).ToDictionary(g => g.Key, g => g.Sum(s => s.Amount));
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

        var deadLetters = await DeadLetterDepths.CountAsync(rabbitMq, cancellationToken);
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
}
