using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Shop.IntegrationTests.Browser;

/// <summary>
/// A page written as the original system's: plain fetch to the gateway, then <c>new WebSocket('ws://localhost:PORT/ws/orders/' + id)</c>
/// on the WebSocket port of its own (8001 in the original; a free port here), served from another origin, in Chromium.
/// </summary>
public sealed class OriginalPageTests(ShopSystem system, ITestOutputHelper output) : ShopTests, IAsyncLifetime
{
    private readonly int _socketPort = FreePort.Next();
    private readonly long _user = ShopSystem.NewUserId();
    private PageHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await PageHarness.StartOwnPageAsync(
            allowedOrigin => system.StartGatewayAsync(system.Orders.BaseAddress, system.Payments.BaseAddress, allowedOrigin, $"--OrderWebSocket:Port={_socketPort}"),
            gateway => Page(gateway.BaseAddress.Port, _socketPort, _user), output);

    [Fact]
    public async Task The_original_page_sees_paid_arrive_over_its_websocket()
    {
        var page = await _harness.Browser.NewPageAsync();
        await page.GotoAsync(_harness.Site.Origin + "/");

        await page.FillAsync("#topupAmount", "100");
        await page.ClickAsync("#btnTopup");
        await Expect(page.Locator("#balanceDisplay")).ToHaveTextAsync("Balance: 100");
        await page.FillAsync("#orderAmount", "60");
        await page.ClickAsync("#btnOrder");

        var log = page.Locator("#log");
        await Expect(log).ToContainTextAsync("WS connected for ");
        await Expect(log).ToContainTextAsync("\"status\":\"PAID\"");
        await Expect(log).ToContainTextAsync("WS disconnected");
        var text = await log.InnerTextAsync();
        output.WriteLine(text);
        Assert.Contains($"ws://localhost:{_socketPort}/ws/orders/", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_websocket_port_serves_nothing_but_the_socket()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync($"http://127.0.0.1:{_socketPort}/orders/orders");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    // Written the way the original system's index.html is: fixed URLs, plain fetch, one WebSocket per order.
    private static string Page(int gatewayPort, int socketPort, long user) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Original page</title></head><body>
        <input type="number" id="topupAmount" value="100"><button id="btnTopup">Top Up</button><span id="balanceDisplay"></span>
        <input type="number" id="orderAmount" value="50"><button id="btnOrder">Create Order</button>
        <div id="log"></div>
        <script>
          const baseUrl = 'http://localhost:{{gatewayPort}}';
          let ws = null;
          function log(msg) { const p = document.createElement('div'); p.textContent = msg; document.getElementById('log').appendChild(p); }
          document.getElementById('btnTopup').onclick = async () => {
            const amount = +document.getElementById('topupAmount').value;
            const r = await fetch(`${baseUrl}/payments/account/topup`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User-ID': {{user.ToString(CultureInfo.InvariantCulture)}} }, body: JSON.stringify({ amount }) });
            const d = await r.json();
            document.getElementById('balanceDisplay').textContent = 'Balance: ' + d.balance;
          };
          document.getElementById('btnOrder').onclick = async () => {
            const amount = +document.getElementById('orderAmount').value;
            const r = await fetch(`${baseUrl}/orders/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User-ID': {{user.ToString(CultureInfo.InvariantCulture)}} }, body: JSON.stringify({ amount }) });
            const o = await r.json();
            log(`Order created → ${o.id} status=${o.status}`);
            connectWS(o.id);
          };
          function connectWS(orderId) {
            const wsUrl = 'ws://localhost:{{socketPort}}/ws/orders/' + orderId;
            log(`Connecting WS → ${wsUrl}`);
            ws = new WebSocket(wsUrl);
            ws.onopen = () => log(`WS connected for ${orderId}`);
            ws.onmessage = e => log(`Update → ${e.data}`);
            ws.onclose = () => { log('WS disconnected'); ws = null; };
          }
        </script>
        </body></html>
        """;
}
