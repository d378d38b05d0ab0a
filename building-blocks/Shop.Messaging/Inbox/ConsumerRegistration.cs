using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Messaging.Inbox;

/// <summary>One event type a queue's consumer accepts, and how to hand it to its handler.</summary>
internal sealed class ConsumerRegistration
{
    private readonly JsonSerializerContext _json;
    private readonly Func<IServiceProvider, IReadOnlyList<InboxItem>, CancellationToken, Task> _dispatch;

    /// <summary>The queue <paramref name="contract"/>'s topology binds <paramref name="eventType"/> to, and its JSON.</summary>
    private ConsumerRegistration(EventContract contract, Type eventType, Func<IServiceProvider, IReadOnlyList<InboxItem>, CancellationToken, Task> dispatch)
    {
        Route = contract.Topology.RouteOf(eventType);
        Queue = contract.Topology.QueueOf(Route);
        _json = contract.Json;
        _dispatch = dispatch;
    }

    public string Queue { get; }
    public EventRoute Route { get; }

    public object? Deserialize(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, Route.EventType, _json);

    /// <summary>Hands <paramref name="items"/> (all of this registration's type, in delivery order) to the handler.</summary>
    public Task DispatchAsync(IServiceProvider services, IReadOnlyList<InboxItem> items, CancellationToken cancellationToken) =>
        _dispatch(services, items, cancellationToken);

    /// <summary>A handler that takes one message at a time: called once per message, in order.</summary>
    public static ConsumerRegistration For<TEvent, THandler>(EventContract contract)
        where TEvent : class, IIntegrationEvent
        where THandler : class, IMessageHandler<TEvent> =>
        new(contract, typeof(TEvent), async (services, items, ct) =>
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
    public static ConsumerRegistration ForBatch<TEvent, THandler>(EventContract contract)
        where TEvent : class, IIntegrationEvent
        where THandler : class, IMessageBatchHandler<TEvent> =>
        new(contract, typeof(TEvent), (services, items, ct) =>
        {
            var messages = new IncomingMessage<TEvent>[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                messages[i] = new IncomingMessage<TEvent>((TEvent)items[i].Message, items[i].Context);
            }
            return services.GetRequiredService<THandler>().HandleAsync(messages, ct);
        });
}
