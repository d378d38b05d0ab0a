using Shop.Gateway.Extensions;
using Shop.Gateway.WebSockets;

namespace Shop.Gateway;

/// <summary>Builds the gateway so the host and the tests run the very same application.</summary>
public static class GatewayApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // appsettings.json holds the :8000 default; ASPNETCORE_URLS and --urls must still win over it.
        builder.Configuration.AddEnvironmentVariables(prefix: "ASPNETCORE_");
        builder.Configuration.AddCommandLine(args);

        builder.AddGateway();
        builder.AddOrderWebSocket();

        var app = builder.Build();
        app.MapOrderWebSocket();
        app.MapGateway();
        return app;
    }
}
