namespace Shop.Messaging;

/// <summary>What the broker said of the delivery being handled.</summary>
public sealed record MessageContext(Guid MessageId, string Type, string Queue, bool Redelivered, string? TraceParent);
