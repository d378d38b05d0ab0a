using RabbitMQ.Client.Events;

namespace Shop.Messaging.RabbitMq;

/// <summary>A delivery copied out of the client's buffers, which are valid only during its callback.</summary>
internal sealed record Delivery(
    ulong Tag, bool Redelivered, string Exchange, string RoutingKey, string? MessageId, string? Type, string? CorrelationId,
    string? TraceParent, byte[] Body)
{
    public static Delivery From(BasicDeliverEventArgs args) => new(
        args.DeliveryTag, args.Redelivered, args.Exchange, args.RoutingKey, args.BasicProperties.MessageId, args.BasicProperties.Type,
        args.BasicProperties.CorrelationId, MessageHeaderValues.Read(args.BasicProperties.Headers, MessageHeaders.TraceParent),
        args.Body.ToArray());
}
