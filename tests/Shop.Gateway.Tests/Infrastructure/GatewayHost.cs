namespace Shop.Gateway.Tests.Infrastructure;

/// <summary>The real gateway, started in-process on a free loopback port and pointed at the given backends.</summary>
internal sealed class GatewayHost(WebApplication started, HttpClient http) : LoopbackApp(started)
{
    public HttpClient Client => http;

    public static async Task<GatewayHost> StartAsync(Uri orders, Uri payments, params string[] settings)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--contentRoot={AppContext.BaseDirectory}",
            $"--ReverseProxy:Clusters:orders:Destinations:primary:Address={orders}",
            $"--ReverseProxy:Clusters:payments:Destinations:primary:Address={payments}",
            .. settings.Select(setting => $"--{setting}"),
        ];
        var app = GatewayApp.Build(args);
        await app.StartAsync();

        // The main address first; OrderWebSocket:Port adds a second one.
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        return new GatewayHost(app, client);
    }

    public override async ValueTask DisposeAsync()
    {
        http.Dispose();
        await base.DisposeAsync();
    }
}
