using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging.Outbox;

internal sealed class OutboxRelay<TDbContext>(
    IServiceScopeFactory scopes,
    IMessagePublisher publisher,
    EventContract contract,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay<TDbContext>> logger) : IOutboxRelay
    where TDbContext : DbContext
{
    // One relay at a time per database, across every instance of the app: rows leave in creation order.
    internal const long RelayLockKey = 0x5348_4F50_0001;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Action<ILogger, Guid, string, Guid, Exception?> _notConfirmed = OutboxLog.NotConfirmed(contract);

    public async Task<RelayResult> DrainAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var total = new RelayResult();
            while (true)
            {
                var (fetched, round) = await RelayBatchAsync(cancellationToken);
                total = new RelayResult(total.Published + round.Published, total.Failed + round.Failed);
                if (fetched < options.Value.RelayBatchSize || round.Failed > 0)
                {
                    return total;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(int Fetched, RelayResult Result)> RelayBatchAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A mark lost to a crash only means the row is published again, which the consumers' inbox absorbs:
        // the relay's commit need not wait for the disk.
        await db.Database.ExecuteSqlAsync($"SET LOCAL synchronous_commit = off; SELECT pg_advisory_xact_lock({RelayLockKey})", cancellationToken);

        var batchSize = options.Value.RelayBatchSize;
        // Younger rows are still the commit-time dispatch's to publish; taking them now would mostly send duplicates.
        var cutoff = clock.GetUtcNow() - options.Value.EffectiveRelayGrace;
        var batch = await db.Set<OutboxMessage>()
            .FromSql(FormattableStringFactory.Create(
                $"SELECT * FROM {MessagingTables.Outbox} WHERE published_at IS NULL AND created_at <= {{0}} ORDER BY sequence LIMIT {{1}} FOR UPDATE",
                cutoff, batchSize))
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return (0, default);
        }

        // An idle round leaves no trace; a batch's span starts when its round did.
        using var activity = OutboxBatch.StartSpan(MessagingTelemetry.RelaySpanName, batch, options.Value.ServiceName, startedAt);
        var outcomes = await OutboxBatch.PublishAllAsync(publisher, batch, cancellationToken);

        var published = new List<Guid>(batch.Count);
        var failed = new List<Guid>();
        Exception? firstError = null;
        for (var i = 0; i < batch.Count; i++)
        {
            // Not `is not { } error`: a mutation tool that flips the pattern or drops the `continue` then leaves `error`
            // unassigned below, cannot compile that one mutant and gives up on the whole method.
            var error = outcomes[i];
            if (error is null)
            {
                published.Add(batch[i].Id);
                continue;
            }
            failed.Add(batch[i].Id);
            firstError ??= error;
            _notConfirmed(logger, batch[i].Id, batch[i].Type, batch[i].CorrelationId, error);
        }
        if (firstError is not null)
        {
            // One line per round, not per row: while the broker is down every round fails whole.
            logger.LogWarning("{Failed} of {Fetched} outbox messages were not confirmed ({Error}); they stay for the next round",
                failed.Count, batch.Count, $"{firstError.GetType().Name}: {firstError.Message}");
            var text = Truncate($"{firstError.GetType().Name}: {firstError.Message}", 1000);
            await db.Set<OutboxMessage>().Where(m => failed.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, m => m.Attempts + 1).SetProperty(m => m.LastError, text), cancellationToken);
        }

        var now = clock.GetUtcNow();
        if (published.Count > 0)
        {
            await db.Set<OutboxMessage>().Where(m => published.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.PublishedAt, now), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        OutboxBatch.Record(activity, options.Value.ServiceName, batch.Count, failed.Count);
        logger.LogDebug("Relayed {Published} of {Fetched} outbox messages", published.Count, batch.Count);
        return (batch.Count, new RelayResult(published.Count, batch.Count - published.Count));
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
