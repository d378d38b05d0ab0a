using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Inbox;
using Shop.Messaging.Outbox;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// Outbox, relay, inbox and the RabbitMQ consumers of a service whose DbContext maps the messaging tables.
    /// Reads <c>ConnectionStrings:{connectionName}</c> (an AMQP URI) and the <c>Messaging</c> section.
    /// </summary>
    public static MessagingBuilder AddMessaging<TDbContext>(this IHostApplicationBuilder builder, string connectionName, string serviceName)
        where TDbContext : DbContext
    {
        var services = builder.Services;
        services.AddOptions<MessagingOptions>()
            .Configure(options => options.ServiceName = serviceName)
            .BindConfiguration(MessagingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RabbitMqOptions>()
            .BindConfiguration(RabbitMqOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(connectionName) ?? options.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IOutboxSignal, OutboxSignal>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<IOutboxDispatcher>(provider => provider.GetRequiredService<OutboxDispatcher>());
        // AddServiceDatabase hands every registered interceptor to the DbContext: this one dispatches each commit's rows.
        services.AddSingleton<OutboxCommitInterceptor>();
        services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<OutboxCommitInterceptor>());
        services.AddScoped<IOutbox, OutboxWriter<TDbContext>>();
        services.AddSingleton<RabbitMqConnection>();
        services.AddSingleton<IMessagePublisher, RabbitMqPublisher>();
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
        services.AddSingleton<ConsumerBacklog>();
        services.AddHostedService<RabbitMqConsumerHost>();
        return new MessagingBuilder(builder, registry);
    }
}
