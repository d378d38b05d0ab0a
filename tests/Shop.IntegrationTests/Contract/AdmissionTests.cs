using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Api.Admission;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Admission;

namespace Shop.IntegrationTests.Contract;

/// <summary>With its backlog at the bound, the shop refuses new orders at once with 503 and Retry-After, and writes nothing.</summary>
[Collection(ShopCollection.Name)]
public sealed class AdmissionTests(ShopSystem system)
{
    [Fact]
    public async Task An_order_beyond_the_backlog_bound_is_refused_with_503_and_Retry_After_and_writes_nothing()
    {
        var user = ShopSystem.NewUserId();
        await system.Client.TopUpAsync(user, 100);
        // Payments away: accepted orders stay pending, so the backlog is what this test makes it.
        await system.Payments.StopAsync();
        try
        {
            var baseline = await PendingAsync(_ => true, "anything");
            await system.ReplaceOrdersAsync(services => services.Configure<AdmissionOptions>(options => options.MaxBacklog = (int)baseline + 2));

            var accepted = new[] { await system.Client.PlaceOrderAsync(user, 10), await system.Client.PlaceOrderAsync(user, 10) };
            await PendingAsync(n => n == baseline + 2, $"{baseline + 2}");

            using var refused = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":10}", idempotencyKey: "refused-once");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var detail = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
            Assert.Contains("orders awaiting payment", detail);
            Assert.Equal(2, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));

            // Payments back: the backlog drains, and the same request is taken.
            await system.ReplacePaymentsAsync();
            foreach (var order in accepted)
            {
                Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
            }
            await PendingAsync(n => n < baseline + 2, $"below {baseline + 2}");
            using var retried = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":10}", idempotencyKey: "refused-once");
            Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
            Assert.Equal(3, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));
        }
        finally
        {
            await system.ReplaceOrdersAsync();
            await system.ReplacePaymentsAsync();
        }
    }

    /// <summary>Waits until the running Orders' gauge has measured a count of pending orders that satisfies <paramref name="condition"/>.</summary>
    private async Task<long> PendingAsync(Func<long, bool> condition, string what)
    {
        var gauge = system.Orders.Services.GetRequiredService<PendingOrdersGauge>();
        return await Eventually.UntilAsync(() => Task.FromResult(gauge.Current ?? -1), n => n >= 0 && condition(n),
            $"the pending-orders gauge to read {what}");
    }
}
