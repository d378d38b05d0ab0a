namespace Shop.Gateway.Tests;

public sealed class HealthTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Health_answers_200_healthy_for_the_gateway_itself()
    {
        using var response = await gateway.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"Healthy"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_answers_200_when_every_service_answers_its_health()
    {
        using var response = await gateway.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var services = await ServicesAsync(response);
        Assert.Equal("Healthy", services.GetProperty("orders").GetProperty("status").GetString());
        Assert.Equal("Healthy", services.GetProperty("payments").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_answers_503_naming_the_service_that_is_down()
    {
        await using var orders = await EchoBackend.StartAsync("orders");
        await using var downGateway = await GatewayHost.StartAsync(orders.Address, FreePort.Refused);

        using var response = await downGateway.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var services = await ServicesAsync(response);
        Assert.Equal("Healthy", services.GetProperty("orders").GetProperty("status").GetString());
        Assert.Equal("Unhealthy", services.GetProperty("payments").GetProperty("status").GetString());
        Assert.Contains("payments service is unreachable", services.GetProperty("payments").GetProperty("detail").GetString());
    }

    private static async Task<JsonElement> ServicesAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("services").Clone();
    }
}
