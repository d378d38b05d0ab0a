using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Shop.Messaging.Inbox;

/// <summary>
/// The consumer's unit of work: the inbox records of a batch of messages, the handlers' effects and the events they
/// emit commit in one transaction. A message whose inbox record exists already changes nothing.
/// </summary>
internal sealed class InboxProcessor<TDbContext>(TDbContext db, IServiceProvider services, TimeProvider clock) : IInboxProcessor
    where TDbContext : DbContext
{
    // Rows are inserted in message id order, so two batches holding the same redelivered messages lock them in one order.
    private const string InsertNew = $"""
        INSERT INTO {MessagingTables.Inbox} (message_id, consumer, type, processed_at)
        SELECT m.id, @consumer, m.type, @now FROM unnest(@ids, @types) AS m(id, type) ORDER BY m.id
        ON CONFLICT DO NOTHING
        RETURNING message_id
        """;

    public async Task<bool[]> ProcessAsync(IReadOnlyList<InboxItem> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            item.Context.BeginAttempt();
        }
        // A failure anywhere rolls the whole transaction back, so EF's savepoint around SaveChanges (two more round trips)
        // would never be used.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The primary key decides: a concurrent duplicate waits on the first one's row lock, then inserts nothing.
        var inserted = await InsertInboxRecordsAsync(items, transaction, cancellationToken);
        var applied = new bool[items.Count];
        var any = false;
        for (var i = 0; i < items.Count; i++)
        {
            // The same message twice in one batch: the first is applied, the second is its duplicate.
            applied[i] = inserted.Remove(items[i].Context.MessageId);
            any |= applied[i];
        }
        if (!any)
        {
            await transaction.RollbackAsync(cancellationToken);
            return applied;
        }

        foreach (var group in NewItemsByRegistration(items, applied))
        {
            await group.Key.DispatchAsync(services, group.Value, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        for (var i = 0; i < items.Count; i++)
        {
            if (applied[i])
            {
                items[i].Context.Committed();
            }
        }
        return applied;
    }

    private async Task<HashSet<Guid>> InsertInboxRecordsAsync(IReadOnlyList<InboxItem> items, IDbContextTransaction transaction,
        CancellationToken cancellationToken)
    {
        var ids = new Guid[items.Count];
        var types = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            ids[i] = items[i].Context.MessageId;
            types[i] = items[i].Context.Type;
        }
        await using var command = new NpgsqlCommand(InsertNew, (NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction)transaction.GetDbTransaction());
        command.Parameters.Add(new NpgsqlParameter<string>("consumer", items[0].Context.Queue));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", clock.GetUtcNow()));
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<string[]>("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = types });
        var inserted = new HashSet<Guid>(items.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetGuid(0));
        }
        return inserted;
    }

    /// <summary>The new items grouped by handler, each group in delivery order, the groups in order of first appearance.</summary>
    private static List<KeyValuePair<ConsumerRegistration, List<InboxItem>>> NewItemsByRegistration(IReadOnlyList<InboxItem> items, bool[] applied)
    {
        var groups = new List<KeyValuePair<ConsumerRegistration, List<InboxItem>>>(1);
        for (var i = 0; i < items.Count; i++)
        {
            if (!applied[i])
            {
                continue;
            }
            var index = groups.FindIndex(g => ReferenceEquals(g.Key, items[i].Registration));
            if (index < 0)
            {
                groups.Add(new(items[i].Registration, [items[i]]));
            }
            else
            {
                groups[index].Value.Add(items[i]);
            }
        }
        return groups;
    }
}
