namespace Shop.Messaging;

/// <summary>
/// Thrown by a handler for a message that can never be applied (it breaks the contract); the consumer
/// dead-letters it with this message as the reason instead of retrying.
/// </summary>
public sealed class PoisonMessageException(string reason) : Exception(reason);
