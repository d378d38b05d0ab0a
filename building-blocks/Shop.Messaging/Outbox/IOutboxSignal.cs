namespace Shop.Messaging.Outbox;

/// <summary>
/// Wakes the relay worker for rows the commit-time dispatch left to it (dispatch off or not running, its queue full, a
/// publish not confirmed), so they do not wait for the timer.
/// </summary>
public interface IOutboxSignal
{
    void Notify();

    /// <summary>Completes at the next notification (or at once if one is pending).</summary>
    ValueTask WaitAsync(CancellationToken cancellationToken);
}
