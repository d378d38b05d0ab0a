namespace Shop.IntegrationTests.Contract;

/// <summary>A new order is answered as README's contract says: 201, the order, and its address in <c>Location</c>.</summary>
public sealed class CreatedOrderTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task A_new_order_is_answered_201_with_its_Location_under_the_gateway_route_which_reads_it_back()
    {
        var user = ShopSystem.NewUserId();

        using var response = await system.Client.SendAsync(HttpMethod.Post, ShopRoutes.Orders, user, ShopRequest.Amount(15));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("id").GetGuid();
        Assert.Equal($"/orders/orders/{id}", response.Headers.Location?.OriginalString);
        var read = await system.Client.GetOrderAsync(user, id);
        Assert.Equal((id, user, 15L), (read.Id, read.UserId, read.Amount));
        using var located = await system.Client.SendAsync(HttpMethod.Get, response.Headers.Location!.OriginalString, user);
        Assert.Equal(HttpStatusCode.OK, located.StatusCode);
    }
}
