namespace Shop.Messaging;

/// <summary>A durable consumer queue and the routing keys it is bound to on one exchange.</summary>
public sealed record QueueBinding(string Queue, string Exchange, IReadOnlyList<string> RoutingKeys);
