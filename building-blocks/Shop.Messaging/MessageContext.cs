using System.Diagnostics;

namespace Shop.Messaging;

/// <summary>What the broker said of the delivery being handled.</summary>
public sealed record MessageContext(Guid MessageId, string Type, string Queue, bool Redelivered, string? TraceParent)
{
    private List<Action>? _afterCommit;

    /// <summary>
    /// The consumer's span of this message, when anything listens: events the handler writes for it continue this trace
    /// (see <see cref="Outbox.IOutbox.Enqueue{TEvent}(TEvent, MessageContext?)"/>), also when one transaction handles a batch.
    /// </summary>
    public Activity? Activity { get; internal set; }

    /// <summary>
    /// Runs <paramref name="action"/> once the handling transaction has committed; not if it rolls back (a retried
    /// attempt registers its own). For what must count only what really happened, such as metrics.
    /// </summary>
    public void OnCommitted(Action action) => (_afterCommit ??= []).Add(action);

    /// <summary>Called by the inbox as an attempt starts: whatever an earlier, failed attempt registered is void.</summary>
    internal void BeginAttempt() => _afterCommit = null;

    /// <summary>Called by the inbox after the commit.</summary>
    internal void Committed()
    {
        var actions = _afterCommit;
        _afterCommit = null;
        actions?.ForEach(action => action());
    }
}
