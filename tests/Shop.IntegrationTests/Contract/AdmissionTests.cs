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
            // The bound stays at before + 2 whether or not the stalled pipeline counts as overload.
            await system.ReplaceOrdersAsync(services => services.Configure<AdmissionOptions>(options =>
                options.MaxBacklog = options.MinBacklog = (int)before + 2));
            var gauge = system.Orders.Services.GetRequiredService<PendingOrdersGauge>();

            // Orders others left pending may leave the gauge's window meanwhile, so place orders until the bound is met.
            var (accepted, refused) = await PlaceUntilRefusedAsync(gauge, user, "admission");

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

    [Fact]
    public async Task When_orders_stop_finishing_the_bound_falls_from_MaxBacklog_to_what_the_shop_had_shown_it_finishes()
    {
        var user = await system.NewUserWithBalanceAsync(1000);
        var before = await system.Orders.Services.GetRequiredService<PendingOrdersGauge>().FreshReadingAsync();
        // A bound sized from the throughput (a few orders a second here) would be below MinBacklog: it is MinBacklog.
        await system.ReplaceOrdersAsync(services => services.Configure<AdmissionOptions>(options =>
        {
            options.MaxBacklog = 1000;
            options.MinBacklog = (int)before + 2;
            options.OverloadAfter = TimeSpan.FromMilliseconds(200);
        }));
        var gauge = system.Orders.Services.GetRequiredService<PendingOrdersGauge>();
        // The new instance sees orders finish, so it has a throughput to size a bound from.
        var finished = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => system.Client.PlaceOrderAsync(user, 10)));
        foreach (var order in finished)
        {
            await system.Client.WaitForFinalStatusAsync(user, order.Id);
        }
        await Eventually.UntilAsync(async () => { await gauge.FreshReadingAsync(); return gauge.Throughput ?? 0; }, rate => rate > 0,
            "a throughput measured from the orders that finished");

        await system.Payments.StopAsync();
        try
        {
            var (accepted, refused) = await PlaceUntilRefusedAsync(gauge, user, "stalled");

            Assert.NotNull(refused);
            using (refused)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                var detail = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
                // Refused by the tightened bound, which names the throughput it was sized from; not by MaxBacklog.
                Assert.Matches(@"orders awaiting payment; it has finished up to \d+ a second lately", detail);
            }
            Assert.InRange(accepted.Count, 1, 20);
            Assert.Equal(3 + accepted.Count, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));
        }
        finally
        {
            await system.ReplaceOrdersAsync();
            await system.ReplacePaymentsAsync();
        }
    }

    [Fact]
    public async Task The_gauge_counts_orders_as_they_finish()
    {
        var user = await system.NewUserWithBalanceAsync(1000);
        var gauge = system.Orders.Services.GetRequiredService<PendingOrdersGauge>();
        await gauge.FreshReadingAsync();
        var finishedBefore = gauge.Finished!.Value;

        var orders = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => system.Client.PlaceOrderAsync(user, 10)));
        foreach (var order in orders)
        {
            await system.Client.WaitForFinalStatusAsync(user, order.Id);
        }

        await Eventually.UntilAsync(async () => { await gauge.FreshReadingAsync(); return gauge.Finished!.Value; },
            finished => finished >= finishedBefore + 3, "the three final orders to count as finished");
    }

    /// <summary>
    /// Places orders of 10, each after a fresh gauge reading and with the key <c>{keyPrefix}-{i}</c>, until one is not
    /// taken (at most 20): the ids of those taken, and the answer that was not (null when all were taken).
    /// </summary>
    private async Task<(List<Guid> Accepted, HttpResponseMessage? Refused)> PlaceUntilRefusedAsync(PendingOrdersGauge gauge, long user, string keyPrefix)
    {
        var accepted = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            await gauge.FreshReadingAsync();
            var response = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":10}", idempotencyKey: $"{keyPrefix}-{i}");
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return (accepted, response);
            }
            accepted.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid());
            response.Dispose();
        }
        return (accepted, null);
    }
}
