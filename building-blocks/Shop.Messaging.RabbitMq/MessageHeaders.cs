namespace Shop.Messaging.RabbitMq;

public static class MessageHeaders
{
    public const string TraceParent = "traceparent";
    public const string DeathReason = "x-death-reason";
    public const string OriginalExchange = "x-original-exchange";
    public const string OriginalRoutingKey = "x-original-routing-key";
    public const string OriginalQueue = "x-original-queue";
    public const string DeadLetteredAt = "x-dead-lettered-at";
}
