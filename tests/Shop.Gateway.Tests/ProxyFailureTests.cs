namespace Shop.Gateway.Tests;

public sealed class ProxyFailureTests
{
    [Fact]
    public async Task Backend_that_is_down_answers_502_problem_naming_the_service()
    {
        await using var payments = await EchoBackend.StartAsync("payments");
        await using var gateway = await GatewayHost.StartAsync(FreePort.Refused, payments.Address);

        using var response = await gateway.Client.GetAsync("/orders/orders");

        await ProblemAssert.IsServiceProblemAsync(response, HttpStatusCode.BadGateway, "/orders/orders", "orders", "orders service is unreachable");
    }

    [Fact]
    public async Task Backend_slower_than_the_configured_timeout_answers_504_problem_naming_the_service()
    {
        await using var orders = await EchoBackend.StartAsync("orders");
        await using var payments = await EchoBackend.StartAsync("payments", responseDelay: TimeSpan.FromSeconds(10));
        await using var gateway = await GatewayHost.StartAsync(
            orders.Address, payments.Address, "ReverseProxy:Clusters:payments:HttpRequest:ActivityTimeout=00:00:00.300");

        using var response = await gateway.Client.GetAsync("/payments/account/balance");

        await ProblemAssert.IsServiceProblemAsync(response, HttpStatusCode.GatewayTimeout, "/payments/account/balance", "payments",
            "payments service did not respond within 0.3 s");
    }

    [Fact]
    public async Task Other_service_keeps_working_while_one_is_down()
    {
        await using var payments = await EchoBackend.StartAsync("payments");
        await using var gateway = await GatewayHost.StartAsync(FreePort.Refused, payments.Address);

        using var response = await gateway.Client.GetAsync("/payments/account/balance");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
