namespace Shop.Gateway.Tests;

public sealed class RoutingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Query = "?limit=5&cursor=a%2Fb";

    /// <summary>README's curl examples, the contract's routes (plus the order lookup and the docs page): gateway path, backend, backend path, body.</summary>
    public static TheoryData<string, string, string, string, string?> ContractRoutes => new()
    {
        { "POST", "/payments/account", "payments", "/account", null },
        { "POST", "/payments/account/topup", "payments", "/account/topup", """{"amount":500}""" },
        { "GET", "/payments/account/balance", "payments", "/account/balance", null },
        { "GET", "/orders/orders", "orders", "/orders", null },
        { "POST", "/orders/orders", "orders", "/orders", """{"amount":200}""" },
        { "GET", "/orders/orders/3f2b8c1e-5d4a-4e8b-9c7d-1a2b3c4d5e6f", "orders", "/orders/3f2b8c1e-5d4a-4e8b-9c7d-1a2b3c4d5e6f", null },
        { "GET", "/orders/docs", "orders", "/docs", null },
    };

    [Theory]
    [MemberData(nameof(ContractRoutes))]
    public async Task Contract_route_reaches_its_backend_path_with_method_query_body_and_headers_intact(
        string method, string gatewayPath, string service, string backendPath, string? body)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var idempotencyKey = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(new HttpMethod(method), gatewayPath + Query);
        HttpResponseMessage response;
        request.Headers.Add("X-User-ID", "1");
        request.Headers.Add("Idempotency-Key", idempotencyKey);

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        // The caller's span: its traceparent goes out with the request, as any instrumented client sends it.
        using (new Activity("caller").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            response = await gateway.Client.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.NotNull(echoed);
        Assert.Equal(service, echoed.Service);
        Assert.Equal(method, echoed.Method);
        Assert.Equal(backendPath, echoed.Path);
        Assert.Equal(Query, echoed.QueryString);
        Assert.Equal(body ?? "", echoed.Body);
        Assert.Equal("1", echoed.Header("X-User-ID"));
        Assert.Equal(idempotencyKey, echoed.Header("Idempotency-Key"));
        Assert.Equal(request.Content?.Headers.ContentType?.ToString(), echoed.Header("Content-Type"));
        // The gateway is a hop of the same trace: the trace id survives, the parent span becomes the gateway's.
        Assert.StartsWith($"00-{traceId}-", echoed.Header("traceparent"));
    }

    [Fact]
    public async Task Body_within_the_limit_reaches_the_backend_whole()
    {
        var body = new string('x', 60 * 1024);

        using var response = await gateway.Client.PostAsync("/orders/orders", new StringContent(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.Equal(body, echoed?.Body);
    }

    [Theory]
    [InlineData("/orders/orders", "/orders/3f2b8c1e-5d4a-4e8b-9c7d-1a2b3c4d5e6f", "/orders/orders/3f2b8c1e-5d4a-4e8b-9c7d-1a2b3c4d5e6f")]
    [InlineData("/payments/account", "/account/balance", "/payments/account/balance")]
    [InlineData("/orders/orders", "http://127.0.0.1:7071/orders/1", "http://127.0.0.1:7071/orders/1")]
    [InlineData("/orders/orders", "//elsewhere.example/orders/1", "//elsewhere.example/orders/1")]
    public async Task Location_a_service_answers_with_is_put_back_under_the_gateway_prefix(string gatewayPath, string serviceLocation, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, gatewayPath);
        request.Headers.Add(EchoBackend.LocationHeader, serviceLocation);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }
}
