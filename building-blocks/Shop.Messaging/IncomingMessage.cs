namespace Shop.Messaging;

/// <summary>A message handed to a handler, with what the broker said of its delivery.</summary>
public readonly record struct IncomingMessage<TEvent>(TEvent Message, MessageContext Context) where TEvent : class, IIntegrationEvent;
