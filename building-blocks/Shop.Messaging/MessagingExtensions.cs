using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Inbox;
using Shop.Messaging.Outbox;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// Outbox, relay, inbox and the RabbitMQ consumers of a service whose DbContext maps the messaging tables
    /// (<see cref="Persistence.MessagingModelBuilderExtensions.AddMessagingTables"/>), on the broker connection of
    /// <see cref="RabbitMqExtensions.AddRabbitMq"/>. Call it beside <c>AddServiceDatabase</c>, which picks up the outbox's commit hook.
    /// </summary>
    /// <param name="contract">The system's events: where each goes, which queue receives it, how it is serialised.</param>
    public static MessagingBuilder AddMessaging<TDbContext>(this IHostApplicationBuilder builder, string connectionName, string serviceName,
        EventContract contract)
        where TDbContext : DbContext
    {
        builder.AddRabbitMq(connectionName, serviceName, contract.Topology);
        var services = builder.Services;
        services.AddSingleton(contract);
        services.AddSingleton<IOutboxSignal, OutboxSignal>();
        services.AddSingleton<OutboxDispatchQueue>();
        services.AddSingleton<IOutboxDispatcher>(provider => provider.GetRequiredService<OutboxDispatchQueue>());
        // AddServiceDatabase hands every registered interceptor to the DbContext: this one dispatches each commit's rows.
        services.AddSingleton<OutboxCommitInterceptor>();
        services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<OutboxCommitInterceptor>());
        services.AddScoped<IOutbox, OutboxWriter<TDbContext>>();
        services.AddSingleton<IOutboxRelay, OutboxRelay<TDbContext>>();
        services.AddSingleton<IMessagingCleanup, MessagingCleanup<TDbContext>>();
        services.AddSingleton<IOutboxMarker, OutboxMarker<TDbContext>>();
        services.AddHostedService<OutboxDispatchWorker>();
        services.AddHostedService<OutboxRelayWorker>();
        services.AddMetrics();
        services.AddHostedService<OutboxBacklogMonitor<TDbContext>>();
        services.AddSingleton<IServiceHealth, ServiceHealth<TDbContext>>();

        var registry = new ConsumerRegistry();
        services.AddSingleton(registry);
        services.AddScoped<IInboxProcessor, InboxProcessor<TDbContext>>();
        services.AddSingleton<DeadLetterPublisher>();
        services.AddSingleton<DeliveryBatchHandler>();
        services.AddSingleton<IDeliveryBatchHandler>(provider => provider.GetRequiredService<DeliveryBatchHandler>());
        services.AddSingleton<ConsumerBacklog>();
        services.AddHostedService<RabbitMqConsumerHost>();
        return new MessagingBuilder(builder, registry, contract);
    }
}
