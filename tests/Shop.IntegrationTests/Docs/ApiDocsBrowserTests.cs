using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Shop.IntegrationTests.Docs;

/// <summary>Swagger UI at /orders/docs and /payments/docs, loaded through the gateway in Chromium, with a try-it-out call.</summary>
public sealed class ApiDocsBrowserTests(ShopSystem system, ITestOutputHelper output) : ShopTests, IAsyncLifetime
{
    private readonly List<string> _requests = [];
    private ChromiumBrowser _browser = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _browser = await ChromiumBrowser.LaunchAsync(output);
        _page = await _browser.NewPageAsync(new ViewportSize { Width = 1280, Height = 1100 });
        _page.Request += (_, request) =>
        {
            lock (_requests)
            {
                _requests.Add(request.Url);
            }
        };
    }

    [Theory]
    [InlineData("orders", "Shop Orders API", 4)]
    [InlineData("payments", "Shop Payments API", 4)]
    public async Task Swagger_ui_lists_every_operation_and_loads_nothing_from_outside(string prefix, string title, int operations)
    {
        await _page.GotoAsync(new Uri(system.Gateway.BaseAddress, $"{prefix}/docs").ToString());

        await Expect(_page.Locator(".opblock")).ToHaveCountAsync(operations);
        await Expect(_page.Locator(".info .title")).ToContainTextAsync(title);
        // "Authorize" takes a bearer token for the gateway's Jwt mode.
        await Expect(_page.Locator(".auth-wrapper .authorize")).ToBeVisibleAsync();
        AssertOnlyGatewayRequests();
    }

    [Fact]
    public async Task Try_it_out_creates_an_order_through_the_gateway_with_the_user_header()
    {
        var user = ShopSystem.NewUserId();
        await _page.GotoAsync(new Uri(system.Gateway.BaseAddress, "orders/docs").ToString());

        var operation = _page.Locator("#operations-orders-CreateOrder");
        await operation.Locator(".opblock-summary").ClickAsync();
        await operation.Locator(".try-out__btn").ClickAsync();
        await operation.Locator("tr[data-param-name='X-User-ID'] input").FillAsync(user.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await operation.Locator("textarea.body-param__text").FillAsync("{\"amount\": 25}");
        await operation.Locator(".execute").ClickAsync();

        var response = operation.Locator(".live-responses-table .response").First;
        await Expect(response.Locator(".response-col_status")).ToHaveTextAsync(new Regex("^\\s*201"));
        await Expect(response.Locator(".response-col_description")).ToContainTextAsync("\"status\": \"PENDING\"");
        // The order exists for that user: the call really went through the gateway to Orders.
        var orders = await system.Client.ListOrdersAsync(user);
        Assert.Equal(25, Assert.Single(orders).Amount);
        AssertOnlyGatewayRequests();

        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        var screenshot = Path.Combine(RepositoryPaths.Screenshots, "api-docs.png");
        // From the title and Authorize down to the response of the call (README's picture of the docs).
        var bottom = await response.EvaluateAsync<float>("element => element.getBoundingClientRect().bottom + window.scrollY");
        await _page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = screenshot,
            FullPage = true,
            Clip = new Clip { X = 0, Y = 0, Width = 1280, Height = bottom + 16 },
        });
        output.WriteLine($"Screenshot: {screenshot}");
    }

    private void AssertOnlyGatewayRequests()
    {
        var origin = system.Gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        lock (_requests)
        {
            Assert.NotEmpty(_requests);
            var outside = _requests.Where(url => !url.StartsWith(origin + "/", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal)).ToList();
            Assert.True(outside.Count == 0, "Requests left the gateway's origin: " + string.Join(", ", outside));
        }
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
    }
}
