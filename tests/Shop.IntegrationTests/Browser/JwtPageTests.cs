using Microsoft.Playwright;
using Shop.IntegrationTests.Auth;
using static Microsoft.Playwright.Assertions;

namespace Shop.IntegrationTests.Browser;

/// <summary>The page in Debian's Chromium against a gateway in Auth:Mode=Jwt (dev tokens on) in front of apps that ask for the function key.</summary>
public sealed class JwtPageTests(ShopSystem system, ITestOutputHelper output) : ShopTests, IAsyncLifetime
{
    private SecuredShop _secured = null!;
    private PageHarness _harness = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _secured = await system.SecuredAsync();
        _harness = await PageHarness.StartShopPageAsync(allowedOrigin => _secured.StartGatewayAsync(system, "--Auth:DevTokens=true", allowedOrigin), output);
        _page = await _harness.Browser.NewPageAsync(new ViewportSize { Width = 1200, Height = 1000 });
    }

    [Fact]
    public async Task The_page_signs_in_tops_up_places_an_order_and_sees_it_paid_live()
    {
        var user = ShopSystem.NewUserId();
        await _page.GotoAsync(_harness.Site.Origin + "/");
        await Expect(_page.Locator("#auth-mode")).ToHaveAttributeAsync("data-mode", "Jwt");
        await Expect(_page.Locator("#use-user")).ToHaveTextAsync("Sign in");
        await Expect(_page.Locator("#hub-state")).ToHaveAttributeAsync("data-state", "offline");

        await _page.FillAsync("#user-id", user.ToString(CultureInfo.InvariantCulture));
        await _page.ClickAsync("#use-user");
        await Expect(_page.Locator("#log").GetByText($"Signed in as user {user}.")).ToHaveCountAsync(1);
        await Expect(_page.Locator("#hub-state")).ToHaveAttributeAsync("data-state", "live");
        await Expect(_page.Locator("#log").GetByText($"Live status on for user {user}.")).ToHaveCountAsync(1);

        await _page.CreateAccountAndTopUpAsync(500);
        await _page.FillAsync("#order-amount", "200");
        await _page.ClickAsync("#place-order");

        await Expect(_page.Locator("#orders tbody .badge[data-status=PAID]")).ToHaveCountAsync(1);
        await Expect(_page.Locator("#log .entry.live").Filter(new() { HasText = "is PAID" })).ToHaveCountAsync(1);
        await Expect(_page.Locator("#balance")).ToHaveTextAsync("300");
        // What the page did is the token's user's, in the databases too.
        Assert.Equal((1, 1, 2, 300), await AuthProbe.RowsAsync(system, user));

        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, "shop-page-jwt.png"), FullPage = true });
    }

    [Fact]
    public async Task A_pasted_token_is_used_and_a_refused_one_is_shown_in_plain_words()
    {
        var user = await system.NewUserWithBalanceAsync(42);
        await _page.GotoAsync(_harness.Site.Origin + "/");
        await Expect(_page.Locator("#token-form")).ToBeVisibleAsync();

        var (exit, printed, error) = await TokenTool.RunAsync("token", "--user", user.ToString(CultureInfo.InvariantCulture), "--key", _secured.SigningKey);
        Assert.True(exit == 0, error);
        await _page.FillAsync("#token", printed.Trim());
        await _page.ClickAsync("#use-token");
        await Expect(_page.Locator("#log").GetByText($"Signed in as user {user}.")).ToHaveCountAsync(1);
        await Expect(_page.Locator("#balance")).ToHaveTextAsync("42");

        var expired = ForgedToken.Sign(Convert.FromBase64String(_secured.SigningKey),
            ForgedToken.Claims(user, expiresIn: TimeSpan.FromHours(-1), notBeforeIn: TimeSpan.FromHours(-2)));
        await _page.FillAsync("#token", expired);
        await _page.ClickAsync("#use-token");
        await Expect(_page.Locator("#log .entry.error").Filter(new() { HasText = "Not signed in: The token expired at" })).Not.ToHaveCountAsync(0);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();
}
