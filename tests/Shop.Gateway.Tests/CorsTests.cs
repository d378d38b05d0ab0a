namespace Shop.Gateway.Tests;

public sealed class CorsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("http://localhost:8080")]
    [InlineData("http://127.0.0.1:8080")]
    public async Task Preflight_from_the_static_site_is_allowed_with_credentials(string origin)
    {
        using var response = await gateway.Client.SendAsync(Preflight(origin));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(origin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Single(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("POST", Single(response, "Access-Control-Allow-Methods"));
        var allowedHeaders = Single(response, "Access-Control-Allow-Headers")?.ToLowerInvariant();
        Assert.Contains("x-user-id", allowedHeaders);
        Assert.Contains("idempotency-key", allowedHeaders);
    }

    [Fact]
    public async Task Preflight_from_another_origin_is_not_allowed()
    {
        using var response = await gateway.Client.SendAsync(Preflight("http://evil.example"));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Response_to_the_static_site_exposes_Location_and_the_next_cursor()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/orders");
        request.Headers.Add("Origin", "http://localhost:8080");
        request.Headers.Add("X-User-ID", "1");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://localhost:8080", Single(response, "Access-Control-Allow-Origin"));
        var exposed = Single(response, "Access-Control-Expose-Headers");
        Assert.Contains("Location", exposed);
        Assert.Contains("X-Next-Cursor", exposed);
        // A page tells a refused order (503) from a failure by it.
        Assert.Contains("Retry-After", exposed);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/orders/orders");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-user-id,idempotency-key");
        return request;
    }

    private static string? Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? string.Join(",", values) : null;
}
