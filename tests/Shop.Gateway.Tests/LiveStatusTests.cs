namespace Shop.Gateway.Tests;

public sealed class LiveStatusTests
{
    [Fact]
    public async Task The_gateway_starts_and_serves_while_the_broker_is_unreachable()
    {
        await using var orders = await EchoBackend.StartAsync("orders");
        await using var payments = await EchoBackend.StartAsync("payments");
        var broker = FreePort.Refused;

        await using var gateway = await GatewayHost.StartAsync(orders.Address, payments.Address,
            $"ConnectionStrings:RabbitMq=amqp://guest:guest@127.0.0.1:{broker.Port}/");

        using var health = await gateway.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var proxied = await gateway.Client.GetAsync("/orders/orders");
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
    }

    [Fact]
    public async Task The_hub_refuses_a_negotiation_without_a_user_with_a_problem()
    {
        await using var orders = await EchoBackend.StartAsync("orders");
        await using var payments = await EchoBackend.StartAsync("payments");
        await using var gateway = await GatewayHost.StartAsync(orders.Address, payments.Address);

        using var response = await gateway.Client.PostAsync("/hubs/orders/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-User-ID", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
