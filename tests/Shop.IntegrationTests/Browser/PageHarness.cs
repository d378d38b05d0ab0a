namespace Shop.IntegrationTests.Browser;

/// <summary>
/// What a browser test stands up: a site on an origin of its own, a gateway of the test's that allows that origin, and
/// Chromium. Disposing stops the three.
/// </summary>
public sealed class PageHarness(StaticSiteServer site, AppInstance gateway, ChromiumBrowser browser) : IAsyncDisposable
{
    public StaticSiteServer Site => site;

    public AppInstance Gateway => gateway;

    public ChromiumBrowser Browser => browser;

    /// <summary>static-site's page, pointed at the gateway that <paramref name="startGateway"/> starts with the setting it is given.</summary>
    /// <param name="startGateway">Starts the gateway with the given <c>--Gateway:AllowedOrigins:0=…</c> setting among its own.</param>
    public static async Task<PageHarness> StartShopPageAsync(Func<string, Task<AppInstance>> startGateway, ITestOutputHelper output)
    {
        var site = await StaticSiteServer.StartAsync();
        var gateway = await startGateway(AllowedOrigin(site.Origin));
        site.GatewayUrl = gateway.BaseAddress;
        return new PageHarness(site, gateway, await ChromiumBrowser.LaunchAsync(output));
    }

    /// <summary>A page of the test's own, written by <paramref name="page"/> once the gateway runs (its fixed URLs name the gateway's port).</summary>
    public static async Task<PageHarness> StartOwnPageAsync(Func<string, Task<AppInstance>> startGateway, Func<AppInstance, string> page, ITestOutputHelper output)
    {
        var sitePort = FreePort.Next();
        var gateway = await startGateway(AllowedOrigin($"http://localhost:{sitePort}"));
        var site = await StaticSiteServer.ServePageAsync(sitePort, page(gateway));
        return new PageHarness(site, gateway, await ChromiumBrowser.LaunchAsync(output));
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        await gateway.StopAsync();
        await site.DisposeAsync();
    }

    private static string AllowedOrigin(string origin) => $"--Gateway:AllowedOrigins:0={origin}";
}
