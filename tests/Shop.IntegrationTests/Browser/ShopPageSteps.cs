using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Shop.IntegrationTests.Browser;

/// <summary>What a user does on static-site's page, step by step, as the browser tests drive it.</summary>
public static class ShopPageSteps
{
    /// <summary>Creates the account (balance 0) and tops it up with <paramref name="amount"/>, waiting for the balance shown.</summary>
    public static async Task CreateAccountAndTopUpAsync(this IPage page, int amount)
    {
        await page.ClickAsync("#create-account");
        await Expect(page.Locator("#balance")).ToHaveTextAsync("0");
        await page.FillAsync("#topup-amount", amount.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("#topup");
        await Expect(page.Locator("#balance")).ToHaveTextAsync(amount.ToString(CultureInfo.InvariantCulture));
    }
}
