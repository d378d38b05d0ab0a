using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging.Outbox;

internal sealed class OutboxWriter<TDbContext>(TDbContext db, EventContract contract, TimeProvider clock) : IOutbox
    where TDbContext : DbContext
{
    public void Enqueue<TEvent>(TEvent integrationEvent, MessageContext? causedBy = null) where TEvent : class, IIntegrationEvent
    {
        var route = contract.Topology.RouteOf(typeof(TEvent));
        var id = Guid.CreateVersion7();
        // The row keeps this span's traceparent: the publish span, and so every later hop, continues this trace.
        using var activity = causedBy?.Activity is { } cause
            ? MessagingTelemetry.Source.StartActivity(MessagingTelemetry.OutboxWriteSpanName(route.TypeName), ActivityKind.Internal, cause.Context)
            : MessagingTelemetry.Source.StartActivity(MessagingTelemetry.OutboxWriteSpanName(route.TypeName));
        activity?.SetTag(MessagingTelemetry.MessageId, id.ToString());
        activity?.SetTag(MessagingTelemetry.ConversationId, integrationEvent.CorrelationId.ToString());
        activity?.SetTag(MessagingTelemetry.DestinationName, route.Exchange);
        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            Id = id,
            Type = route.TypeName,
            Exchange = route.Exchange,
            RoutingKey = route.RoutingKey,
            Payload = JsonSerializer.Serialize(integrationEvent, typeof(TEvent), contract.Json),
            CorrelationId = integrationEvent.CorrelationId,
            TraceParent = activity?.Id ?? causedBy?.Activity?.Id ?? Activity.Current?.Id,
            CreatedAt = clock.GetUtcNow(),
        });
    }
}
