using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging.Outbox;

/// <summary>
/// Publishes each committed outbox row at once, so an event leaves within a broker round trip of its commit rather
/// than at the relay's next round. Rows waiting together go out together, all in flight at once; the next batch does
/// not wait for the previous one's confirms (up to <see cref="MessagingOptions.DispatchBatchesInFlight"/> at once), so a row waits for its own
/// confirm only. The confirmed rows are marked published in batches, off the publishing path. A row whose publish fails is left to the relay, which
/// takes over rows older than <see cref="MessagingOptions.RelayGrace"/>: nothing depends on this worker alone.
/// </summary>
internal sealed partial class OutboxDispatchWorker(
    OutboxDispatchQueue queue,
    IMessagePublisher publisher,
    IOutboxMarker marker,
    IOutboxSignal relaySignal,
    EventContract contract,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatchWorker> logger) : BackgroundService
{
    // Not SingleReader: the single-reader channel cannot count what it holds, and AwaitingMark reads that count.
    private readonly Channel<(Guid Id, DateTimeOffset ConfirmedAt)> _confirmed =
        Channel.CreateUnbounded<(Guid, DateTimeOffset)>(new UnboundedChannelOptions { SingleWriter = true });

    private readonly Action<ILogger, Guid, string, Guid, Exception?> _notConfirmed = OutboxLog.NotConfirmed(contract);

    /// <summary>Rows the broker confirmed that wait for their mark.</summary>
    internal int AwaitingMark => _confirmed.Reader.Count;

    /// <summary>Commits hand their rows over from here on (ExecuteAsync itself starts later, on the thread pool).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        queue.Attach();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var marking = MarkAsync(stoppingToken);
        try
        {
            await DispatchAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Rows still queued stay unpublished in the table; the relay of this or another instance sends them.
            queue.Detach();
            _confirmed.Writer.TryComplete();
        }
        await marking;
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        var batchSize = options.Value.RelayBatchSize;
        using var slots = new SemaphoreSlim(MessagingOptions.DispatchBatchesInFlight);
        var inFlight = new List<Task>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                var batch = new List<OutboxMessage>();
                while (batch.Count < batchSize && reader.TryRead(out var message))
                {
                    batch.Add(message);
                }
                inFlight.RemoveAll(task => task.IsCompleted);
                inFlight.Add(PublishAndReleaseAsync(batch, slots, stoppingToken));
            }
        }
        finally
        {
            // Confirms still to come are recorded before the marks stop.
            await Task.WhenAll(inFlight);
        }
    }

    private async Task PublishAndReleaseAsync(List<OutboxMessage> batch, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await PublishBatchAsync(batch, stoppingToken);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task PublishBatchAsync(List<OutboxMessage> batch, CancellationToken stoppingToken)
    {
        using var activity = OutboxBatch.StartSpan(MessagingTelemetry.DispatchSpanName, batch, options.Value.ServiceName);
        var outcomes = await OutboxBatch.PublishAllAsync(publisher, batch, stoppingToken);

        var failed = 0;
        Exception? firstError = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { } error)
            {
                failed++;
                firstError ??= error;
                LogNotConfirmed(error, batch[i].Id, batch[i].Type, batch[i].CorrelationId);
                continue;
            }
            _confirmed.Writer.TryWrite((batch[i].Id, clock.GetUtcNow()));
        }

        OutboxBatch.Record(activity, options.Value.ServiceName, batch.Count, failed);
        if (firstError is not null)
        {
            // One line per batch, not per row: while the broker is down every batch fails whole.
            LogBatchNotConfirmed(failed, batch.Count, $"{firstError.GetType().Name}: {firstError.Message}", options.Value.RelayGrace);
            relaySignal.Notify();
        }
    }

    /// <summary>
    /// Marks confirmed rows published: after the first confirm it waits <see cref="MessagingOptions.MarkDelay"/> (cut
    /// short by a stop), then marks every row confirmed by then, and whatever gathered while that mark ran, in one statement.
    /// A stop does not cancel a mark: the rows confirmed before it are marked, so the relay of the next start has none of
    /// them to publish again. A mark is one short statement, and the host's shutdown timeout bounds the wait for it.
    /// </summary>
    private async Task MarkAsync(CancellationToken stoppingToken)
    {
        var reader = _confirmed.Reader;
        var batch = new List<(Guid Id, DateTimeOffset ConfirmedAt)>();
        var delay = options.Value.MarkDelay;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            batch.Clear();
            while (batch.Count < 1000 && reader.TryRead(out var confirmed))
            {
                batch.Add(confirmed);
            }
            try
            {
                await marker.MarkPublishedAsync(batch, CancellationToken.None);
            }
            catch (Exception exception)
            {
                // The rows were delivered; unmarked, the relay publishes them again and the consumers' inbox absorbs the repeat.
                LogMarkFailed(exception, batch.Count, batch[0].Id);
            }
        }
    }

    private void LogNotConfirmed(Exception exception, Guid messageId, string type, Guid correlationId) =>
        _notConfirmed(logger, messageId, type, correlationId, exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Failed} of {Count} committed outbox messages were not confirmed ({Error}); the relay takes them over after {Grace}")]
    private partial void LogBatchNotConfirmed(int failed, int count, string error, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not mark {Count} confirmed outbox messages published (first {MessageId}); the relay will publish them again")]
    private partial void LogMarkFailed(Exception exception, int count, Guid messageId);
}
