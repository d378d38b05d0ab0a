namespace Shop.Messaging.Outbox;

/// <summary>Wakes the relay when a commit wrote outbox rows, so delivery is not paced by the timer.</summary>
public interface IOutboxSignal
{
    void Notify();

    /// <summary>Completes at the next notification (or at once if one is pending).</summary>
    ValueTask WaitAsync(CancellationToken cancellationToken);
}
