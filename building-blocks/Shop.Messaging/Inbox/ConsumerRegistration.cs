using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;

namespace Shop.Messaging.Inbox;

/// <summary>One event type a queue's consumer accepts, and how to hand it to its handler.</summary>
internal sealed class ConsumerRegistration(
    string queue, EventRoute route, Func<IServiceProvider, IReadOnlyList<InboxItem>, CancellationToken, Task> dispatch)
{
    public string Queue { get; } = queue;
    public EventRoute Route { get; } = route;

    public object? Deserialize(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, Route.EventType, ContractsJson.Default);

    /// <summary>Hands <paramref name="items"/> (all of this registration's type, in delivery order) to the handler.</summary>
    public Task DispatchAsync(IServiceProvider services, IReadOnlyList<InboxItem> items, CancellationToken cancellationToken) =>
        dispatch(services, items, cancellationToken);

    /// <summary>A handler that takes one message at a time: called once per message, in order.</summary>
    public static ConsumerRegistration For<TEvent, THandler>()
        where TEvent : class, IIntegrationEvent
        where THandler : class, IMessageHandler<TEvent> =>
        new(QueueOf<TEvent>(), ShopTopology.RouteOf(typeof(TEvent)), async (services, items, ct) =>
        {
            var handler = services.GetRequiredService<THandler>();
            var outer = Activity.Current;
            foreach (var item in items)
            {
                // The handler's own spans and outbox rows continue the trace of the message it is handling.
                Activity.Current = item.Context.Activity ?? outer;
                await handler.HandleAsync((TEvent)item.Message, item.Context, ct);
            }
            Activity.Current = outer;
        });

    /// <summary>A handler that takes a batch's messages of this type at once.</summary>
    public static ConsumerRegistration ForBatch<TEvent, THandler>()
        where TEvent : class, IIntegrationEvent
        where THandler : class, IMessageBatchHandler<TEvent> =>
        new(QueueOf<TEvent>(), ShopTopology.RouteOf(typeof(TEvent)), (services, items, ct) =>
        {
            var messages = new IncomingMessage<TEvent>[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                messages[i] = new IncomingMessage<TEvent>((TEvent)items[i].Message, items[i].Context);
            }
            return services.GetRequiredService<THandler>().HandleAsync(messages, ct);
        });

    private static string QueueOf<TEvent>()
    {
        var route = ShopTopology.RouteOf(typeof(TEvent));
        return ShopTopology.Queues.SingleOrDefault(q => q.Exchange == route.Exchange && q.RoutingKeys.Contains(route.RoutingKey))?.Queue
            ?? throw new InvalidOperationException($"No queue in {nameof(ShopTopology)} receives {route.TypeName}.");
    }
}
