using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;

namespace Shop.Messaging.Inbox;

/// <summary>One event type a queue's consumer accepts, and how to hand it to its handler.</summary>
internal sealed class ConsumerRegistration(string queue, EventRoute route, Func<IServiceProvider, object, MessageContext, CancellationToken, Task> dispatch)
{
    public string Queue { get; } = queue;
    public EventRoute Route { get; } = route;

    public object? Deserialize(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, Route.EventType, ContractsJson.Default);

    public Task DispatchAsync(IServiceProvider services, object message, MessageContext context, CancellationToken cancellationToken) =>
        dispatch(services, message, context, cancellationToken);

    public static ConsumerRegistration For<TEvent, THandler>()
        where TEvent : class, IIntegrationEvent
        where THandler : class, IMessageHandler<TEvent>
    {
        var route = ShopTopology.RouteOf(typeof(TEvent));
        var queue = ShopTopology.Queues.SingleOrDefault(q => q.Exchange == route.Exchange && q.RoutingKeys.Contains(route.RoutingKey))?.Queue
            ?? throw new InvalidOperationException($"No queue in {nameof(ShopTopology)} receives {route.TypeName}.");
        return new ConsumerRegistration(queue, route, (services, message, context, ct) =>
            services.GetRequiredService<THandler>().HandleAsync((TEvent)message, context, ct));
    }
}
