using System.Net.Http.Json;

namespace Shop.IntegrationTests.Contract;

public sealed class OrderListTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Orders_are_listed_newest_first_in_pages_joined_by_the_cursor()
    {
        var user = ShopSystem.NewUserId();
        var placed = new List<Guid>();
        for (var i = 1; i <= 5; i++)
        {
            placed.Add((await system.Client.PlaceOrderAsync(user, i)).Id);
        }
        placed.Reverse();

        using var firstPage = await system.Client.SendAsync(HttpMethod.Get, "/orders/orders?limit=2", user);
        var cursor = firstPage.Headers.GetValues("X-Next-Cursor").Single();
        var first = await firstPage.Content.ReadFromJsonAsync<List<OrderDto>>();
        var rest = await system.Client.ListOrdersAsync(user, $"?limit=50&before={cursor}");

        Assert.Equal(placed, first!.Select(o => o.Id).Concat(rest.Select(o => o.Id)));
        Assert.Empty(await system.Client.ListOrdersAsync(ShopSystem.NewUserId()));
    }
}
