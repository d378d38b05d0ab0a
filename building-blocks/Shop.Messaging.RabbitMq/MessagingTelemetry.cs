using System.Diagnostics;

namespace Shop.Messaging.RabbitMq;

/// <summary>
/// The spans of the outbox and inbox. The events of one flow are one trace: the outbox row keeps the traceparent of the span that
/// wrote it, the publish span (of the commit-time dispatch or the relay) continues that trace, and its id travels in the message's <c>traceparent</c> header.
/// </summary>
public static class MessagingTelemetry
{
    public const string SourceName = "Shop.Messaging";

    /// <summary>The relay's span per batch; it links to every row's trace rather than joining one of them.</summary>
    public const string RelaySpanName = "outbox relay";

    /// <summary>The commit-time dispatch's span per batch; like the relay's, it links to every row's trace.</summary>
    public const string DispatchSpanName = "outbox dispatch";

    internal static readonly ActivitySource Source = new(SourceName);

    public static string OutboxWriteSpanName(string type) => $"outbox write {type}";

    public static string PublishSpanName(string exchange) => $"{exchange} publish";

    public static string ProcessSpanName(string queue) => $"{queue} process";

    /// <summary>The span context a stored or received traceparent names; default when there is none or it is malformed.</summary>
    public static ActivityContext ParseTraceParent(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    // OpenTelemetry semantic conventions for messaging (https://opentelemetry.io/docs/specs/semconv/messaging/rabbitmq/).
    internal const string System = "messaging.system";
    internal const string OperationType = "messaging.operation.type";
    internal const string OperationName = "messaging.operation.name";
    internal const string DestinationName = "messaging.destination.name";
    internal const string RoutingKey = "messaging.rabbitmq.destination.routing_key";
    internal const string ConsumerGroup = "messaging.consumer.group.name";
    internal const string MessageId = "messaging.message.id";
    internal const string ConversationId = "messaging.message.conversation_id";
    internal const string BodySize = "messaging.message.body.size";
    internal const string BatchCount = "messaging.batch.message_count";
    internal const string DeliveryTag = "messaging.rabbitmq.message.delivery_tag";

    /// <summary>The shop's own: applied, duplicate or dead_lettered (as the consumed counter's <c>outcome</c>).</summary>
    public const string Outcome = "shop.messaging.outcome";
    internal const string Attempt = "shop.messaging.attempt";
    internal const string Type = "shop.messaging.type";
    internal const string Service = "shop.service";

    internal const string RabbitMq = "rabbitmq";
}
