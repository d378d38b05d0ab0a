namespace Shop.Messaging.Outbox;

/// <param name="Published">Rows confirmed by the broker and marked published.</param>
/// <param name="Failed">Rows the broker did not confirm; they stay unpublished for the next round.</param>
public readonly record struct RelayResult(int Published, int Failed);
