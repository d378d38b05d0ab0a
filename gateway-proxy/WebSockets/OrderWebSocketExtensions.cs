using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;
using Shop.Gateway.Configuration;
using Shop.Gateway.LiveStatus;
using Shop.Gateway.Problems;

namespace Shop.Gateway.WebSockets;

/// <summary>
/// The original system's live status: a plain WebSocket at <c>/ws/orders/{id}</c> (and <c>/orders/ws/orders/{id}</c>,
/// under the Orders prefix), optionally also on a port of its own (<see cref="OrderWebSocketOptions.Port"/>, 8001 as
/// the original Orders service), fed by the gateway's OrderStatusChanged feed.
/// </summary>
public static class OrderWebSocketExtensions
{
    public const string Route = "/ws/orders/{id}";
    public const string OrdersPrefixedRoute = "/orders/ws/orders/{id}";

    /// <summary>The Orders app's internal lookup, which only the gateway itself may call.</summary>
    private const string InternalOrdersRoute = "/orders/internal/{**rest}";

    public static WebApplicationBuilder AddOrderWebSocket(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OrderWebSocketOptions>()
            .BindConfiguration(OrderWebSocketOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OrderWatchers>();
        builder.Services.AddSingleton<IOrderStatusListener>(services => services.GetRequiredService<OrderWatchers>());
        builder.Services.AddHttpClient<OrderLookup>();
        // Header mode. The bearer-token mode (?access_token= required, must own the order) plugs in here.
        builder.Services.AddSingleton<IOrderWatchPolicy, HeaderWatchPolicy>();
        builder.Services.AddTransient<OrderWebSocketEndpoint>();
        // A browser's WebSocket handshake is not subject to CORS; only the page origins the gateway allows may open one.
        builder.Services.AddOptions<WebSocketOptions>().Configure<IOptions<GatewayOptions>>((sockets, gateway) =>
        {
            foreach (var origin in gateway.Value.AllowedOrigins)
            {
                sockets.AllowedOrigins.Add(origin);
            }
        });

        if (builder.Configuration.GetSection(OrderWebSocketOptions.SectionName).Get<OrderWebSocketOptions>()?.Port is { } port)
        {
            builder.WebHost.UseUrls([.. ServerUrls(builder.Configuration), .. ServerUrls(builder.Configuration).Select(url => WithPort(url, port))]);
        }
        return builder;
    }

    public static WebApplication MapOrderWebSocket(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<IOptions<OrderWebSocketOptions>>().Value.Port;
        if (port is not null)
        {
            // The extra port is the original Orders service's: it serves the socket and nothing else.
            app.UseWhen(
                context => context.Connection.LocalPort == port && !IsSocketPath(context.Request.Path),
                other => other.Run(context => GatewayProblem.WriteAsync(context, StatusCodes.Status404NotFound, "Not Found",
                    $"Port {port} serves only the order WebSocket {Route}; the API is on the gateway's main port.")));
        }
        app.UseWebSockets();

        var handle = (HttpContext context, string id, OrderWebSocketEndpoint endpoint) => endpoint.HandleAsync(context, id);
        app.Map(Route, handle);
        app.Map(OrdersPrefixedRoute, handle);
        app.Map(InternalOrdersRoute, (HttpContext context) => GatewayProblem.Create(context, StatusCodes.Status404NotFound, "Not Found",
            $"No route matches {context.Request.Method} {context.Request.GetEncodedPathAndQuery()}."));
        return app;
    }

    private static bool IsSocketPath(PathString path) =>
        path.StartsWithSegments("/ws/orders", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/orders/ws/orders", StringComparison.OrdinalIgnoreCase);

    private static string[] ServerUrls(IConfiguration configuration) =>
        (configuration[WebHostDefaults.ServerUrlsKey] ?? "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // The same scheme and host as a main URL (http://0.0.0.0:8000, http://+:8000, http://127.0.0.1:0), on the socket's port.
    private static string WithPort(string url, int port)
    {
        var address = BindingAddress.Parse(url);
        return $"{address.Scheme}://{address.Host}:{port}";
    }
}
