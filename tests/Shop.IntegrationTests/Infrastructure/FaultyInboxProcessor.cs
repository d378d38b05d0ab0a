namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Wraps the real inbox unit of work to inject a fault around it: before it runs, or after it committed.</summary>
internal sealed class FaultyInboxProcessor(IInboxProcessor inner, InboxFault fault) : IInboxProcessor
{
    public async Task<bool[]> ProcessAsync(IReadOnlyList<InboxItem> items, CancellationToken cancellationToken)
    {
        fault.Batches.Enqueue(items.Select(item => item.Context.MessageId).ToList());
        if (fault.Gate is { } gate)
        {
            fault.Waiting.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
        }
        if (fault.FailuresBefore > 0 && Interlocked.Decrement(ref fault.FailuresBefore) >= 0)
        {
            throw fault.CreateFailure();
        }
        var applied = await inner.ProcessAsync(items, cancellationToken);
        if (fault.HangAfterCommit || items.Count >= fault.HangAfterCommitOfAtLeast)
        {
            fault.Committed.TrySetResult(items[0].Context);
            // The process "dies" here: committed, never acked. Only the host's shutdown ends the wait.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        return applied;
    }
}

internal sealed class InboxFault
{
    public int FailuresBefore;
    public bool HangAfterCommit { get; init; }

    /// <summary>Hangs after committing a unit of work of at least this many messages (a batch), as <see cref="HangAfterCommit"/> does for any.</summary>
    public int HangAfterCommitOfAtLeast { get; init; } = int.MaxValue;
    public Func<Exception> CreateFailure { get; init; } = () => new TimeoutException("injected: the database did not answer");
    public TaskCompletionSource<MessageContext> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, every unit of work waits for it: deliveries pile up in the consumer until the test opens it.</summary>
    public TaskCompletionSource? Gate { get; init; }

    /// <summary>Set when the first unit of work waits at <see cref="Gate"/>.</summary>
    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The message ids of every unit of work (attempts included), in the order they began.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<List<Guid>> Batches { get; } = new();
}
