using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Inbox;

namespace Shop.Messaging;

/// <summary>Chains the consumers of a service after <c>AddMessaging</c>.</summary>
public sealed class MessagingBuilder
{
    private readonly ConsumerRegistry _registry;
    private readonly EventContract _contract;

    internal MessagingBuilder(IHostApplicationBuilder builder, ConsumerRegistry registry, EventContract contract)
    {
        Builder = builder;
        _registry = registry;
        _contract = contract;
    }

    public IHostApplicationBuilder Builder { get; }

    /// <summary>Consumes <typeparamref name="TEvent"/> from the queue the contract's topology binds it to.</summary>
    public MessagingBuilder AddConsumer<TEvent, THandler>()
        where TEvent : class, IIntegrationEvent
        where THandler : class, IMessageHandler<TEvent>
    {
        _registry.Add(ConsumerRegistration.For<TEvent, THandler>(_contract));
        Builder.Services.TryAddScoped<THandler>();
        return this;
    }

    /// <summary>
    /// Consumes <typeparamref name="TEvent"/> with a handler that applies a batch's messages at once (one query for all
    /// their rows instead of one each); <c>Messaging:BatchSize</c> bounds the batch.
    /// </summary>
    public MessagingBuilder AddBatchConsumer<TEvent, THandler>()
        where TEvent : class, IIntegrationEvent
        where THandler : class, IMessageBatchHandler<TEvent>
    {
        _registry.Add(ConsumerRegistration.ForBatch<TEvent, THandler>(_contract));
        Builder.Services.TryAddScoped<THandler>();
        return this;
    }
}
