namespace Shop.IntegrationTests.Contract;

/// <summary>
/// A POST repeated with the same Idempotency-Key returns the first result and applies once; each user's keys are their
/// own (docs/architecture.md, I15).
/// </summary>
public sealed class IdempotencyTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Repeated_order_with_the_same_key_returns_the_first_order_and_creates_one()
    {
        var user = ShopSystem.NewUserId();
        var key = Guid.NewGuid().ToString();

        var first = await system.Client.PlaceOrderAsync(user, 15, key);
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => system.Client.PlaceOrderAsync(user, 15, key)));

        Assert.All(again, o => Assert.Equal(first.Id, o.Id));
        Assert.Equal(1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));
        Assert.Equal(1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1 AND type = 'OrderCreated'", first.Id));
    }

    [Fact]
    public async Task Repeated_top_up_with_the_same_key_credits_once_and_returns_the_first_balance()
    {
        var user = ShopSystem.NewUserId();
        var key = Guid.NewGuid().ToString();

        var first = await system.Client.TopUpAsync(user, 500, key);
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => system.Client.TopUpAsync(user, 500, key)));

        Assert.Equal(500, first.Balance);
        Assert.All(again, a => Assert.Equal(500, a.Balance));
        Assert.Equal(500, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE user_id = $1", user));
    }

    [Fact]
    public async Task A_replayed_top_up_answers_the_first_result_not_the_current_balance()
    {
        var user = ShopSystem.NewUserId();
        var key = Guid.NewGuid().ToString();
        var first = await system.Client.TopUpAsync(user, 500, key);
        await system.Client.TopUpAsync(user, 200);
        var order = await system.Client.PlaceOrderAsync(user, 100);
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);

        var replayed = await system.Client.TopUpAsync(user, 500, key);

        Assert.Equal(500, replayed.Balance);
        Assert.Equal(Stored(first.UpdatedAt), Stored(replayed.UpdatedAt));
        Assert.Equal(600, (await system.Client.GetBalanceAsync(user)).Balance);
    }

    [Fact]
    public async Task Two_users_with_the_same_key_each_get_their_own_order_and_top_up()
    {
        var (alice, bob) = (ShopSystem.NewUserId(), ShopSystem.NewUserId());
        var key = Guid.NewGuid().ToString();

        var aliceTopUp = await system.Client.TopUpAsync(alice, 300, key);
        var bobTopUp = await system.Client.TopUpAsync(bob, 70, key);
        var aliceOrder = await system.Client.PlaceOrderAsync(alice, 30, key);
        var bobOrder = await system.Client.PlaceOrderAsync(bob, 40, key);
        var bobAgain = await system.Client.PlaceOrderAsync(bob, 40, key);
        var aliceAgain = await system.Client.TopUpAsync(alice, 300, key);

        Assert.Equal((300, 70), (aliceTopUp.Balance, bobTopUp.Balance));
        Assert.NotEqual(aliceOrder.Id, bobOrder.Id);
        Assert.Equal((alice, bob), (aliceOrder.UserId, bobOrder.UserId));
        Assert.Equal(bobOrder.Id, bobAgain.Id);
        Assert.Equal(300, aliceAgain.Balance);
        Assert.Equal(1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", alice));
        Assert.Equal(1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", bob));
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE user_id = $1 AND kind = 'topup'", bob));
    }

    [Fact]
    public async Task Same_key_with_a_different_amount_is_a_conflict_and_changes_nothing()
    {
        var user = ShopSystem.NewUserId();
        await system.Client.TopUpAsync(user, 100, "key-1");
        await system.Client.PlaceOrderAsync(user, 10, "key-1");

        using var topUp = await system.Client.SendAsync(HttpMethod.Post, "/payments/account/topup", user, "{\"amount\":200}", "key-1");
        using var order = await system.Client.SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":20}", "key-1");

        Assert.Equal(HttpStatusCode.Conflict, topUp.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, order.StatusCode);
        Assert.Equal("The Idempotency-Key was used for a different top-up.", await DetailAsync(topUp));
        Assert.Equal("The Idempotency-Key 'key-1' was used for a different order.", await DetailAsync(order));
        Assert.Equal(1, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", user));
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE user_id = $1 AND kind = 'topup'", user));
    }

    [Fact]
    public async Task Opening_an_account_twice_returns_the_same_account()
    {
        var user = ShopSystem.NewUserId();
        var first = await system.Client.OpenAccountAsync(user);
        await system.Client.TopUpAsync(user, 7);

        var second = await system.Client.OpenAccountAsync(user);

        Assert.Equal(0, first.Balance);
        Assert.Equal(7, second.Balance);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM accounts WHERE user_id = $1", user));
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString();
    }

    /// <summary>A time as PostgreSQL keeps it (microseconds): a replay reads it back from there.</summary>
    private static DateTimeOffset Stored(DateTimeOffset time) => time.AddTicks(-(time.Ticks % 10));
}
