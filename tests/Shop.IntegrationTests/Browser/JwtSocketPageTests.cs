using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Shop.IntegrationTests.Browser;

/// <summary>
/// A page written like the original system's, in Chromium against a gateway in Auth:Mode=Jwt: it signs in, sends its
/// token on fetch and as <c>?access_token=</c> on <c>new WebSocket('ws://localhost:PORT/ws/orders/' + id)</c> (a browser
/// cannot set headers on a WebSocket), and sees PAID; the same socket without the token is closed with 4401 and the reason.
/// </summary>
public sealed class JwtSocketPageTests(ShopSystem system, ITestOutputHelper output) : ShopTests, IAsyncLifetime
{
    private readonly int _socketPort = FreePort.Next();
    private readonly long _user = ShopSystem.NewUserId();
    private PageHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var secured = await system.SecuredAsync();
        _harness = await PageHarness.StartOwnPageAsync(
            allowedOrigin => secured.StartGatewayAsync(system, "--Auth:DevTokens=true", allowedOrigin, $"--OrderWebSocket:Port={_socketPort}"),
            gateway => Page(gateway.BaseAddress.Port, _socketPort, _user), output);
    }

    [Fact]
    public async Task The_page_sees_paid_over_the_socket_with_its_token_and_is_refused_without_it()
    {
        await LiveStatusClient.WaitForFeedAsync(_harness.Gateway);
        var page = await _harness.Browser.NewPageAsync();
        await page.GotoAsync(_harness.Site.Origin + "/");

        await page.ClickAsync("#btnSignIn");
        await Expect(page.Locator("#log")).ToContainTextAsync("Signed in");
        await page.ClickAsync("#btnTopup");
        await Expect(page.Locator("#balanceDisplay")).ToHaveTextAsync("Balance: 100");
        await page.ClickAsync("#btnOrder");

        var log = page.Locator("#log");
        await Expect(log).ToContainTextAsync("\"status\":\"PAID\"");
        await Expect(log).ToContainTextAsync("WS closed 1000");
        await page.ClickAsync("#btnAnonymous");
        await Expect(log).ToContainTextAsync("Anonymous WS closed 4401 Sign in first: send Authorization: Bearer <token>, or ?access_token=<token> on a WebSocket.");
        await Expect(log).Not.ToContainTextAsync("Anonymous update");
        output.WriteLine(await log.InnerTextAsync());
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    // The original page's shape (fixed URLs, plain fetch, one WebSocket per order), plus a dev token from the gateway.
    private static string Page(int gatewayPort, int socketPort, long user) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Original page, signed in</title></head><body>
        <button id="btnSignIn">Sign in</button><button id="btnTopup">Top Up</button><span id="balanceDisplay"></span>
        <button id="btnOrder">Create Order</button><button id="btnAnonymous">Watch without token</button>
        <div id="log"></div>
        <script>
          const baseUrl = 'http://localhost:{{gatewayPort}}';
          let token = null, lastOrder = null;
          function log(msg) { const p = document.createElement('div'); p.textContent = msg; document.getElementById('log').appendChild(p); }
          const json = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token }, body: JSON.stringify(body) });
          document.getElementById('btnSignIn').onclick = async () => {
            const r = await fetch(`${baseUrl}/auth/dev-token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: {{user.ToString(CultureInfo.InvariantCulture)}} }) });
            token = (await r.json()).token;
            log('Signed in');
          };
          document.getElementById('btnTopup').onclick = async () => {
            const d = await (await fetch(`${baseUrl}/payments/account/topup`, json({ amount: 100 }))).json();
            document.getElementById('balanceDisplay').textContent = 'Balance: ' + d.balance;
          };
          document.getElementById('btnOrder').onclick = async () => {
            const o = await (await fetch(`${baseUrl}/orders/orders`, json({ amount: 60 }))).json();
            lastOrder = o.id;
            log(`Order created → ${o.id} status=${o.status}`);
            const ws = new WebSocket('ws://localhost:{{socketPort}}/ws/orders/' + o.id + '?access_token=' + encodeURIComponent(token));
            ws.onmessage = e => log(`Update → ${e.data}`);
            ws.onclose = e => log(`WS closed ${e.code} ${e.reason}`);
          };
          document.getElementById('btnAnonymous').onclick = () => {
            const ws = new WebSocket('ws://localhost:{{socketPort}}/ws/orders/' + lastOrder);
            ws.onmessage = e => log(`Anonymous update → ${e.data}`);
            ws.onclose = e => log(`Anonymous WS closed ${e.code} ${e.reason}`);
          };
        </script>
        </body></html>
        """;
}
