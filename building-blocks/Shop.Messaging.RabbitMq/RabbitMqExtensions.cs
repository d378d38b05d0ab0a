using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Shop.Messaging.RabbitMq;

public static class RabbitMqExtensions
{
    /// <summary>
    /// The service's broker connections and confirmed publisher, without any database: <c>ConnectionStrings:{connectionName}</c>
    /// (an AMQP URI) and the <c>RabbitMq</c> section say where, the <c>Messaging</c> section how (the service's name in
    /// connection names, the consumers' prefetch and batches). Every connection declares <paramref name="topology"/>,
    /// the whole of the system's, before it publishes or consumes.
    /// </summary>
    public static IHostApplicationBuilder AddRabbitMq(this IHostApplicationBuilder builder, string connectionName, string serviceName,
        MessageTopology topology)
    {
        var services = builder.Services;
        services.AddSingleton(topology);
        services.AddOptions<MessagingOptions>()
            .Configure(options => options.ServiceName = serviceName)
            .BindConfiguration(MessagingOptions.SectionName)
            .Validate(options => options.MarkDelay >= TimeSpan.Zero && options.MarkDelay < options.RelayGrace,
                "Messaging:MarkDelay must be zero or more and below Messaging:RelayGrace")
            .Validate(options => options.PublishConfirmTimeout > TimeSpan.Zero && options.PublishConfirmTimeout <= TimeSpan.FromHours(1),
                "Messaging:PublishConfirmTimeout must be more than zero and at most an hour")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RabbitMqOptions>()
            .BindConfiguration(RabbitMqOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(connectionName) ?? options.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RabbitMqConnection>();
        services.AddSingleton<IMessagePublisher, RabbitMqPublisher>();
        return builder;
    }
}
