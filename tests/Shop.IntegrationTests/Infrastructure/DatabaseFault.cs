namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// A failure PostgreSQL raises inside whatever transaction writes a chosen row — a trigger, so it strikes whichever
/// code writes the row (EF or plain SQL) at the point the write really happens. Each strike is counted in a sequence,
/// which, unlike a table, keeps its count when the failing transaction rolls back.
/// </summary>
public sealed class DatabaseFault : IAsyncDisposable
{
    /// <summary>Raised by PostgreSQL for a failed serialization: the consumers treat it as transient and retry it.</summary>
    public const string Transient = "40001";

    /// <summary>PL/pgSQL's own RAISE: neither transient nor poison, so a consumer tries it MaxAttempts times.</summary>
    public const string Permanent = "P0001";

    private readonly NpgsqlDataSource _db;
    private readonly string _name;
    private readonly string _table;
    private bool _removed;

    private DatabaseFault(NpgsqlDataSource db, string name, string table)
    {
        _db = db;
        _name = name;
        _table = table;
    }

    /// <summary>The text of the raised error, to find in logs and dead-letter reasons.</summary>
    public string Message => $"injected fault {_name}";

    /// <summary>Installs the fault: every write of <paramref name="events"/> on <paramref name="table"/> whose row satisfies <paramref name="when"/> (SQL on NEW) fails.</summary>
    /// <param name="atCommit">Raise when the transaction commits, after all its work was done, instead of at the write.</param>
    /// <param name="times">Strike this many times, then let the writes through; without it, until <see cref="RemoveAsync"/>.</param>
    public static async Task<DatabaseFault> InstallAsync(NpgsqlDataSource db, string table, string when, string sqlState = Transient,
        string events = "INSERT", bool atCommit = false, int? times = null)
    {
        var name = $"test_fault_{Guid.NewGuid():N}"[..24];
        if (times is { } limit)
        {
            when = $"({when}) AND (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {name}_hits) < {limit}";
        }
        var fault = new DatabaseFault(db, name, table);
        var trigger = atCommit
            ? $"CREATE CONSTRAINT TRIGGER {name} AFTER {events} ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {name}()"
            : $"CREATE TRIGGER {name} BEFORE {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()";
        await db.ExecuteAsync($"""
            CREATE SEQUENCE {name}_hits;
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fault$
            BEGIN
                IF {when} THEN
                    PERFORM nextval('{name}_hits');
                    RAISE EXCEPTION 'injected fault {name} on {table}' USING ERRCODE = '{sqlState}';
                END IF;
                RETURN NEW;
            END $fault$;
            {trigger};
            """);
        return fault;
    }

    /// <summary>How many times the fault struck so far.</summary>
    public Task<long> HitsAsync() =>
        _db.ScalarAsync($"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {_name}_hits");

    /// <summary>Waits until the fault struck at least <paramref name="count"/> times.</summary>
    public Task<long> WaitForHitsAsync(long count, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(HitsAsync, hits => hits >= count, $"fault {_name} on {_table} to strike {count} times", timeout);

    /// <summary>Removes the fault: from now on the writes succeed.</summary>
    public async Task RemoveAsync()
    {
        if (_removed)
        {
            return;
        }
        _removed = true;
        await _db.ExecuteAsync($"DROP TRIGGER IF EXISTS {_name} ON {_table}; DROP FUNCTION IF EXISTS {_name}(); DROP SEQUENCE IF EXISTS {_name}_hits");
    }

    public ValueTask DisposeAsync() => new(RemoveAsync());
}
