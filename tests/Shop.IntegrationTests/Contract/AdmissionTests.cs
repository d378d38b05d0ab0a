namespace Shop.IntegrationTests.Contract;

/// <summary>
/// With its backlog at the bound, the shop refuses new orders at once with 503 and Retry-After, and writes nothing
/// (docs/architecture.md, I17).
/// </summary>
public sealed class AdmissionTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task An_order_beyond_the_backlog_bound_is_refused_with_503_and_Retry_After_and_writes_nothing()
    {
        var user = await system.NewUserWithBalanceAsync(1000);
        // Payments away: accepted orders stay pending, so the backlog grows with each order placed here.
        await system.Payments.StopAsync();
        try
        {
            var before = await system.Orders.Services.GetRequiredService<PendingOrdersGauge>().FreshReadingAsync();
            await system.ReplaceOrdersAsync(services => services.Configure<AdmissionOptions>(options => options.MaxBacklog = (int)before + 2));
            var gauge = system.Orders.Services.GetRequiredService<PendingOrdersGauge>();

            // Orders others left pending may leave the gauge's window meanwhile, so place orders until the bound is met.
            var accepted = new List<Guid>();
            HttpResponseMessage? refused = null;
            for (var i = 0; i < 20 && refused is null; i++)
            {
                await gauge.FreshReadingAsync();
                var response = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":10}", idempotencyKey: $"admission-{i}");
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    accepted.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid());
                    response.Dispose();
                }
                else
                {
                    refused = response;
                }
            }

            Assert.NotNull(refused);
            using (refused)
            {
                Assert.True(accepted.Count >= 2, $"{accepted.Count} orders were taken before the refusal");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                var detail = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
                Assert.Contains("orders awaiting payment", detail);
            }
            Assert.Equal(accepted.Count, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));

            // Payments back: the backlog drains, and the refused request is taken when sent again.
            await system.ReplacePaymentsAsync();
            foreach (var order in accepted)
            {
                Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order)).Status);
            }
            await Eventually.UntilAsync(() => Task.FromResult(gauge.Current ?? long.MaxValue), n => n < before + 2, "the backlog to drain below the bound");
            using var retried = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":10}",
                idempotencyKey: $"admission-{accepted.Count}");
            Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
            Assert.Equal(accepted.Count + 1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));
        }
        finally
        {
            await system.ReplaceOrdersAsync();
            await system.ReplacePaymentsAsync();
        }
    }
}
