namespace Shop.IntegrationTests;

public sealed class EndToEndTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Top_up_500_then_order_200_is_paid_and_order_1000_fails_leaving_300()
    {
        var user = ShopSystem.NewUserId();
        var client = system.Client;

        await client.OpenAccountAsync(user);
        Assert.Equal(500, (await client.TopUpAsync(user, 500)).Balance);

        var affordable = await client.PlaceOrderAsync(user, 200);
        Assert.Equal("PENDING", affordable.Status);
        var paid = await client.WaitForFinalStatusAsync(user, affordable.Id);
        Assert.Equal("PAID", paid.Status);
        Assert.Null(paid.Reason);

        var tooExpensive = await client.PlaceOrderAsync(user, 1000);
        var failed = await client.WaitForFinalStatusAsync(user, tooExpensive.Id);
        Assert.Equal("FAILED", failed.Status);
        Assert.Equal("insufficient_funds", failed.Reason);

        Assert.Equal(300, (await client.GetBalanceAsync(user)).Balance);
        var orders = await client.ListOrdersAsync(user);
        Assert.Equal([tooExpensive.Id, affordable.Id], orders.Select(o => o.Id));
    }

    [Fact]
    public async Task Order_of_a_user_without_an_account_fails_with_account_not_found()
    {
        var user = ShopSystem.NewUserId();

        var order = await system.Client.PlaceOrderAsync(user, 10);

        var failed = await system.Client.WaitForFinalStatusAsync(user, order.Id);
        Assert.Equal("FAILED", failed.Status);
        Assert.Equal("account_not_found", failed.Reason);
    }
}
