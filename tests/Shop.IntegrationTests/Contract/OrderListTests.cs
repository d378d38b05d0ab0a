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

    [Fact]
    public async Task A_page_holds_at_most_limit_orders_and_a_cursor_only_when_more_follow_and_the_bounds_are_1_to_200()
    {
        var user = ShopSystem.NewUserId();
        var older = (await system.Client.PlaceOrderAsync(user, 1)).Id;
        var newer = (await system.Client.PlaceOrderAsync(user, 2)).Id;

        using var one = await system.Client.SendAsync(HttpMethod.Get, "/orders/orders?limit=1", user);
        using var exactlyFull = await system.Client.SendAsync(HttpMethod.Get, "/orders/orders?limit=2", user);
        var largest = await system.Client.ListOrdersAsync(user, $"?limit={ListOrdersFunction.MaxLimit}");
        using var beforeZero = await system.Client.SendAsync(HttpMethod.Get, "/orders/orders?before=0", user);

        Assert.Equal([newer], (await one.Content.ReadFromJsonAsync<List<OrderDto>>())!.Select(o => o.Id));
        Assert.True(one.Headers.Contains("X-Next-Cursor"), "one of two orders: the page says more follow");
        Assert.Equal([newer, older], (await exactlyFull.Content.ReadFromJsonAsync<List<OrderDto>>())!.Select(o => o.Id));
        Assert.False(exactlyFull.Headers.Contains("X-Next-Cursor"), "both of two orders: no cursor");
        Assert.Equal([newer, older], largest.Select(o => o.Id));
        Assert.Equal(HttpStatusCode.BadRequest, beforeZero.StatusCode);
    }
}
