using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shop.Messaging.Outbox;

/// <summary>
/// Hands the outbox rows a context wrote to the dispatcher once they are committed: at SaveChanges when it ran in its
/// own transaction, else when the surrounding transaction commits. Rows of a transaction that rolled back, or was
/// abandoned, are forgotten: a pooled context must never carry them into its next commit. Rows are bound to the
/// transaction that wrote them, so whatever event is missed (a SaveChanges cancelled when a consumer's channel dies, a
/// commit whose outcome is unknown), a later transaction of the same context releases only its own rows. Only rows a
/// SaveChanges wrote are handed over: those of a SaveChanges that failed inside a transaction are kept for its retry,
/// and left out of the commit if the caller gives that work up.
/// </summary>
internal sealed class OutboxCommitInterceptor(IOutboxDispatcher dispatcher) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, Pending> PendingByContext = new();

    /// <summary>
    /// Rows this unit of work has tried to write and which of them a SaveChanges wrote, the rows of the SaveChanges
    /// running (which may open its own transaction), and the explicit transaction they were written in (null:
    /// SaveChanges' own).
    /// </summary>
    private sealed class Pending
    {
        public List<OutboxMessage> Messages { get; } = [];
        public HashSet<OutboxMessage> Written { get; } = [];
        public List<OutboxMessage>? Saving { get; set; }
        public Guid? TransactionId { get; init; }

        /// <summary>The running SaveChanges succeeded: its rows are written.</summary>
        public void SavingSucceeded()
        {
            if (Saving is not null)
            {
                Written.UnionWith(Saving);
                Saving = null;
            }
        }
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Track(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Track(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ReleaseIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ReleaseIfCommitted(eventData.Context);
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIfOwnTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetIfOwnTransaction(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIfOwnTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => ForgetIfOwnTransaction(eventData.Context);

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default)
    {
        ForgetUnlessSaving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        ForgetUnlessSaving(eventData.Context);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context, eventData.TransactionId);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.Context, eventData.TransactionId);

    /// <summary>A commit or rollback that failed: whether the rows committed is unknown, so the relay, not the dispatch, publishes them.</summary>
    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    private static void Track(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var transactionId = context.Database.CurrentTransaction?.TransactionId;
        if (transactionId is null
            || (PendingByContext.TryGetValue(context, out var earlier) && earlier.TransactionId != transactionId))
        {
            // SaveChanges in its own transaction, or the first in another explicit transaction: nothing written
            // earlier (in an abandoned, failed or cancelled unit of work) belongs to it.
            Forget(context);
        }
        var pending = PendingByContext.GetValue(context, _ => new Pending { TransactionId = transactionId });
        pending.Saving = [];
        foreach (var entry in context.ChangeTracker.Entries<OutboxMessage>())
        {
            if (entry.State != EntityState.Added)
            {
                continue;
            }
            pending.Saving.Add(entry.Entity);
            // A SaveChanges retried after a failure inside the same transaction sees its rows Added again.
            if (!pending.Messages.Contains(entry.Entity))
            {
                pending.Messages.Add(entry.Entity);
            }
        }
    }

    private void ReleaseIfCommitted(DbContext? context)
    {
        if (context is not null && PendingByContext.TryGetValue(context, out var pending))
        {
            pending.SavingSucceeded();
        }
        if (context?.Database.CurrentTransaction is null)
        {
            Release(context, committed: null);
        }
    }

    private static void ForgetIfOwnTransaction(DbContext? context)
    {
        if (context is not null && PendingByContext.TryGetValue(context, out var pending))
        {
            pending.Saving = null;
        }
        if (context?.Database.CurrentTransaction is null)
        {
            Forget(context);
        }
    }

    /// <summary>A transaction begun outside SaveChanges starts a new unit of work: rows of an abandoned one are void.</summary>
    private static void ForgetUnlessSaving(DbContext? context)
    {
        if (context is not null && PendingByContext.TryGetValue(context, out var pending) && pending.Saving is null)
        {
            PendingByContext.Remove(context);
        }
    }

    /// <param name="committed">The transaction that committed; null when SaveChanges' own transaction did.</param>
    private void Release(DbContext? context, Guid? committed)
    {
        if (context is null || !PendingByContext.TryGetValue(context, out var pending))
        {
            return;
        }
        PendingByContext.Remove(context);
        // Rows of SaveChanges' own transaction commit with it; rows of an explicit transaction only with that one.
        if (pending.TransactionId is not null && pending.TransactionId != committed)
        {
            return;
        }
        // SaveChanges' own transaction commits before SavedChanges is raised: what it saved is written.
        pending.SavingSucceeded();
        var written = pending.Messages.FindAll(pending.Written.Contains);
        if (written.Count > 0)
        {
            dispatcher.Committed(written);
        }
    }

    private static void Forget(DbContext? context)
    {
        if (context is not null)
        {
            PendingByContext.Remove(context);
        }
    }

    /// <summary>
    /// How many outbox rows of <paramref name="context"/> are held: written or tried (a failed SaveChanges' rows, kept for
    /// its retry), and neither handed over nor forgotten yet.
    /// For tests, which read it right after each end of a unit of work.
    /// </summary>
    internal static int HeldRows(DbContext context) => PendingByContext.TryGetValue(context, out var pending) ? pending.Messages.Count : 0;
}
