namespace Shop.Messaging;

/// <summary>Where an event type is published: its wire name (the AMQP <c>type</c>), exchange and routing key.</summary>
public sealed record EventRoute(Type EventType, string TypeName, string Exchange, string RoutingKey);
