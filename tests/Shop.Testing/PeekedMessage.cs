namespace Shop.Testing;

/// <summary>A message <see cref="RawBroker.PeekAsync"/> read and put back.</summary>
public sealed record PeekedMessage(string? MessageId, string? Type, string? CorrelationId, string? Reason,
    string? OriginalExchange, string? OriginalRoutingKey, string Body);
