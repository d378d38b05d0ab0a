using Microsoft.Extensions.FileProviders;

namespace Shop.IntegrationTests.Browser;

/// <summary>
/// A site on an origin of its own, as nginx serves the page on :8080: static-site/public on a free loopback port, except
/// config.js, which points the page at the test's gateway (<see cref="StartAsync"/>); or one page of the test's own
/// (<see cref="ServePageAsync"/>).
/// </summary>
public sealed class StaticSiteServer(AppInstance site, string origin) : IAsyncDisposable
{
    /// <summary>The site's origin (scheme, host and port), which the gateway must allow for CORS.</summary>
    public string Origin => origin;

    public Uri? GatewayUrl { get; set; }

    public static async Task<StaticSiteServer> StartAsync()
    {
        var app = Build(port: 0);
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

        var instance = await AppInstance.StartAsync(app);
        server = new StaticSiteServer(instance, instance.BaseAddress.GetLeftPart(UriPartial.Authority));
        return server;
    }

    /// <summary>Serves <paramref name="page"/> at / on 127.0.0.1:<paramref name="port"/>, as the origin http://localhost:<paramref name="port"/>.</summary>
    public static async Task<StaticSiteServer> ServePageAsync(int port, string page)
    {
        var app = Build(port);
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        return new StaticSiteServer(await AppInstance.StartAsync(app), $"http://localhost:{port}");
    }

    public ValueTask DisposeAsync() => site.DisposeAsync();

    private static WebApplication Build(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder.Build();
    }
}
