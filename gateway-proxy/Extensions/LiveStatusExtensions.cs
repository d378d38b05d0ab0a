using Shop.Contracts;
using Shop.Gateway.LiveStatus;

namespace Shop.Gateway.Extensions;

/// <summary>The live order status: the SignalR hub and the RabbitMQ feed that drives it.</summary>
public static class LiveStatusExtensions
{
    /// <summary>Set to back the hub with Azure SignalR Service instead of this process's own connections.</summary>
    public const string AzureSignalRConnectionStringKey = "Azure:SignalR:ConnectionString";

    public static IHostApplicationBuilder AddLiveStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OrderStatusFeedOptions>()
            .BindConfiguration(OrderStatusFeedOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ConnectionString = configuration.GetConnectionString(OrderStatusFeedOptions.ConnectionStringName) ?? string.Empty;
                options.Endpoints = configuration[OrderStatusFeedOptions.EndpointsKey];
            })
            .ValidateDataAnnotations()
            .Validate(options => IsAmqpUri(options.ConnectionString),
                $"ConnectionStrings:{OrderStatusFeedOptions.ConnectionStringName} must be an AMQP URI such as amqp://guest:guest@127.0.0.1:5672/.")
            .Validate(options => BrokerEndpoint.TryParseList(options.Endpoints, 5672, out _) is not null,
                $"{OrderStatusFeedOptions.EndpointsKey} must be comma-separated host:port pairs such as 10.0.0.1:5672,10.0.0.2:5672.")
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

    private static bool IsAmqpUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "amqp" || uri.Scheme == "amqps");
}
