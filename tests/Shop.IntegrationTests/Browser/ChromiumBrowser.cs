using Microsoft.Playwright;

namespace Shop.IntegrationTests.Browser;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium), headless, driven by Playwright. The pages it opens write their console into
/// the test's output; Playwright's expectations wait up to 20 s.
/// </summary>
public sealed class ChromiumBrowser(IPlaywright playwright, IBrowser browser, ITestOutputHelper output) : IAsyncDisposable
{
    private static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"];

    public static async Task<ChromiumBrowser> LaunchAsync(ITestOutputHelper output)
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var driver = await Playwright.CreateAsync();
        var chromium = await driver.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = Args });
        Assertions.SetDefaultExpectTimeout(20_000);
        return new ChromiumBrowser(driver, chromium, output);
    }

    /// <summary>A new page of the given size, or of Playwright's default size.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = viewport });
        page.Console += (_, message) => output.WriteLine($"[browser {message.Type}] {message.Text}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.CloseAsync();
        playwright.Dispose();
    }
}
