using Shop.Payments.Features;

namespace Shop.IntegrationTests.Contract;

/// <summary>A balance never goes beyond <see cref="TopUpHandler.MaxBalance"/>: a top-up that would pass it is refused and writes nothing.</summary>
public sealed class BalanceLimitTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task A_top_up_up_to_the_limit_is_credited_and_one_beyond_it_is_refused_with_422_and_changes_nothing()
    {
        var user = ShopSystem.NewUserId();
        await system.Client.TopUpAsync(user, 100);
        // One top-up is at most 1 000 000 000, so the account is brought near the limit in the database, as if its first
        // top-up had been that large (the ledger still adds up to the balance).
        const long nearLimit = TopUpHandler.MaxBalance - 100;
        await system.PaymentsDb.ExecuteAsync("UPDATE accounts SET balance = $1 WHERE user_id = $2", nearLimit, user);
        await system.PaymentsDb.ExecuteAsync("UPDATE transactions SET amount = $1, balance_after = $1 WHERE user_id = $2", nearLimit, user);

        var atLimit = await system.Client.TopUpAsync(user, 100);
        using var beyond = await system.Client.SendAsync(HttpMethod.Post, ShopRoutes.TopUp, user, ShopRequest.Amount(1));

        Assert.Equal(TopUpHandler.MaxBalance, atLimit.Balance);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, beyond.StatusCode);
        using var problem = JsonDocument.Parse(await beyond.Content.ReadAsStringAsync());
        const string refusal = "The top-up would take the balance beyond its limit.";
        Assert.Equal(refusal, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(refusal, problem.RootElement.GetProperty("errors").GetProperty("amount")[0].GetString());
        Assert.Equal(TopUpHandler.MaxBalance, (await system.Client.GetBalanceAsync(user)).Balance);
        Assert.Equal(2, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE user_id = $1", user));
    }
}
