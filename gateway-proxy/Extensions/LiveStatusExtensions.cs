using Shop.Contracts;
using Shop.Gateway.LiveStatus;
using Shop.Messaging.RabbitMq;

namespace Shop.Gateway.Extensions;

/// <summary>The live order status: the SignalR hub and the RabbitMQ feed that drives it.</summary>
public static class LiveStatusExtensions
{
    /// <summary>Set to back the hub with Azure SignalR Service instead of this process's own connections.</summary>
    public const string AzureSignalRConnectionStringKey = "Azure:SignalR:ConnectionString";

    public static IHostApplicationBuilder AddLiveStatus(this IHostApplicationBuilder builder)
    {
        // The broker connection as every service makes it: RabbitMqOptions validate the AMQP URI and the cluster's endpoints.
        builder.AddRabbitMq(OrderStatusFeedOptions.ConnectionStringName, GatewayExtensions.ServiceName, ShopTopology.Topology);
        builder.Services.AddOptions<OrderStatusFeedOptions>()
            .BindConfiguration(OrderStatusFeedOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var signalR = builder.Services.AddSignalR();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[AzureSignalRConnectionStringKey]))
        {
            signalR.AddAzureSignalR();
        }
        builder.Services.AddHostedService<OrderStatusFeed>();
        return builder;
    }

    public static WebApplication MapLiveStatus(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(OrdersHub.Path, StringComparison.OrdinalIgnoreCase),
            hub => hub.UseMiddleware<HubUserMiddleware>());
        app.MapHub<OrdersHub>(OrdersHub.Path);
        return app;
    }
}
