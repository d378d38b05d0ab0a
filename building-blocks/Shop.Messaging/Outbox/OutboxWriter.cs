using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shop.Contracts;

namespace Shop.Messaging.Outbox;

internal sealed class OutboxWriter<TDbContext>(TDbContext db, TimeProvider clock) : IOutbox
    where TDbContext : DbContext
{
    public void Enqueue<TEvent>(TEvent integrationEvent) where TEvent : class, IIntegrationEvent
    {
        var route = ShopTopology.RouteOf(typeof(TEvent));
        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            Id = Guid.CreateVersion7(),
            Type = route.TypeName,
            Exchange = route.Exchange,
            RoutingKey = route.RoutingKey,
            Payload = JsonSerializer.Serialize(integrationEvent, typeof(TEvent), ContractsJson.Default),
            CorrelationId = integrationEvent.OrderId,
            TraceParent = Activity.Current?.Id,
            CreatedAt = clock.GetUtcNow(),
        });
    }
}
