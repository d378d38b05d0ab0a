namespace Shop.LoadTest.Measurement;

/// <summary>
/// What both databases had done at one moment: committed transactions (<c>pg_stat_database</c>, every transaction
/// counts, a lone statement too) and statements executed (<c>pg_stat_statements</c>, BEGIN and COMMIT included, when
/// the extension is installed in that database; scripts/infra.sh installs it). The difference of two snapshots is the
/// work a run cost.
/// </summary>
public sealed record DatabaseActivity(DatabaseCounters Orders, DatabaseCounters Payments)
{
    public static async Task<DatabaseActivity> SnapshotAsync(LoadTestOptions options, CancellationToken cancellationToken) =>
        new(await DatabaseCounters.ReadAsync(options.OrdersDb, cancellationToken), await DatabaseCounters.ReadAsync(options.PaymentsDb, cancellationToken));

    public DatabaseWork Since(DatabaseActivity before) => new(Orders.Since(before.Orders), Payments.Since(before.Payments));
}

public sealed record DatabaseCounters(long Commits, long? Statements)
{
    public static async Task<DatabaseCounters> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // The statistics reach the shared counters at the end of each backend's transaction, at most a second late.
        await using (var flush = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection))
        {
            await flush.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var commits = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        var committed = Convert.ToInt64(await commits.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        long? statements = null;
        await using var installed = new NpgsqlCommand("SELECT to_regclass('pg_stat_statements') IS NOT NULL", connection);
        if (await installed.ExecuteScalarAsync(cancellationToken) is true)
        {
            await using var calls = new NpgsqlCommand(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
                connection);
            statements = Convert.ToInt64(await calls.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        return new DatabaseCounters(committed, statements);
    }

    public DatabaseCounters Since(DatabaseCounters before) =>
        new(Commits - before.Commits, Statements is { } now && before.Statements is { } then ? now - then : null);
}

/// <summary>Commits and statements of a run in each database.</summary>
public sealed record DatabaseWork(DatabaseCounters Orders, DatabaseCounters Payments)
{
    public string Describe(long orders)
    {
        if (orders == 0)
        {
            return "no orders";
        }
        static string Per(long? count, long orders) => count is { } n ? (n / (double)orders).ToString("F2", CultureInfo.InvariantCulture) : "n/a";
        return $"Orders {Per(Orders.Statements, orders)} statements, {Per(Orders.Commits, orders)} commits; " +
               $"Payments {Per(Payments.Statements, orders)} statements, {Per(Payments.Commits, orders)} commits " +
               "(statements from pg_stat_statements, BEGIN/COMMIT included; commits from pg_stat_database, read-only ones included)";
    }
}
