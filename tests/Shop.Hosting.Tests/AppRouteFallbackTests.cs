namespace Shop.Hosting.Tests;

/// <summary>
/// Each app's catch-all RouteFallback function answers what no other function takes with problem+json, so an unknown
/// route or a wrong method gets the same answer on the Functions host as on the development host. Served here by the
/// development host with the real apps' function classes; no request reaches a function that needs a database.
/// </summary>
public sealed class AppRouteFallbackTests
{
    public static TheoryData<string, string, string, string> WrongMethods => new()
    {
        { "orders", "DELETE", "/orders", "GET, POST" },
        { "orders", "PUT", $"/orders/{Guid.NewGuid()}", "GET" },
        { "orders", "DELETE", "/orders/not-a-guid", "GET" },
        { "orders", "POST", $"/internal/orders/{Guid.NewGuid()}", "GET" },
        { "orders", "POST", "/health", "GET" },
        { "payments", "GET", "/account", "POST" },
        { "payments", "POST", "/account/balance", "GET" },
        { "payments", "PATCH", "/account/topup", "POST" },
    };

    [Theory]
    [MemberData(nameof(WrongMethods))]
    public async Task A_wrong_method_on_a_route_of_the_app_is_a_405_problem_naming_the_allowed_methods(string app, string method, string path, string allowed)
    {
        await using var host = await StartAsync(app);

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow));
        using var problem = await ReadProblemAsync(response);
        Assert.Equal(405, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal($"{path} accepts {allowed}, not {method}.", problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("orders", "GET", "/")]
    [InlineData("orders", "GET", "/nothing/here")]
    [InlineData("orders", "GET", "/orders/1/2")]
    [InlineData("orders", "GET", "/internal/orders/not-a-guid")]
    [InlineData("payments", "POST", "/accounts")]
    [InlineData("payments", "GET", "/account/balance/extra")]
    public async Task An_unknown_route_is_a_404_problem(string app, string method, string path)
    {
        await using var host = await StartAsync(app);

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var problem = await ReadProblemAsync(response);
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Not Found", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal($"No route matches {method} {path}.", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_fallback_does_not_shadow_a_real_route()
    {
        await using var host = await StartAsync("orders");

        using var response = await host.Client.GetAsync("/docs/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonDocument> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<AppHost> StartAsync(string app)
    {
        var assembly = app == "orders" ? typeof(OrdersExtensions).Assembly : typeof(PaymentsExtensions).Assembly;
        // Only the functions are mapped: the app's services (database, broker) are not registered, and not needed here.
        var web = DevelopmentHost.Build(["--dev-host", "--urls", "http://127.0.0.1:0"], assembly, builder => builder.Logging.ClearProviders());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await web.StartAsync(timeout.Token);
        return new AppHost(web);
    }

    private sealed class AppHost(WebApplication app) : IAsyncDisposable
    {
        public HttpClient Client { get; } = new() { BaseAddress = new Uri(app.Urls.Single()) };

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
