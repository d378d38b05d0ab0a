using Microsoft.Extensions.FileProviders;

namespace Shop.IntegrationTests.Browser;

/// <summary>
/// Serves static-site/public on a free loopback port, as nginx does, except config.js: that one points the page
/// at the test's gateway.
/// </summary>
public sealed class StaticSiteServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSiteServer(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    /// <summary>The site's origin (scheme, host and port), which the gateway must allow for CORS.</summary>
    public string Origin { get; }

    public Uri? GatewayUrl { get; set; }

    public static async Task<StaticSiteServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        StaticSiteServer? server = null;
        var files = new PhysicalFileProvider(RepositoryPaths.StaticSite);

        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/config.js")
            {
                var gateway = JsonSerializer.Serialize(server!.GatewayUrl?.GetLeftPart(UriPartial.Authority));
                context.Response.ContentType = "application/javascript";
                await context.Response.WriteAsync($"window.SHOP_CONFIG = {{ gatewayUrl: {gateway} }};\n");
                return;
            }
            await next(context);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new StaticSiteServer(app, new Uri(address).GetLeftPart(UriPartial.Authority));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
