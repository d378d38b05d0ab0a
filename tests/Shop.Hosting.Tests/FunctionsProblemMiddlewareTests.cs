using Moq;

namespace Shop.Hosting.Tests;

public sealed class FunctionsProblemMiddlewareTests
{
    // The key under which the ASP.NET Core integration stores the HttpContext (read by GetHttpContext()).
    private const string HttpContextKey = "HttpRequestContext";

    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public async Task Failure_of_an_http_function_becomes_a_problem_response()
    {
        var http = NewHttpContext("/orders");
        var context = FunctionContextFor("CreateOrder", http);

        await Middleware().Invoke(context, _ => throw new NpgsqlException("connection refused"));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        http.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(http.Response.Body);
        Assert.Equal(ExceptionProblems.DatabaseUnavailableDetail, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal("/orders", problem.RootElement.GetProperty("instance").GetString());
        Assert.True(problem.RootElement.TryGetProperty("traceId", out _));
        var error = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("CreateOrder", error.Message);
    }

    [Fact]
    public async Task Failure_of_a_non_http_function_propagates_to_the_functions_host()
    {
        var context = FunctionContextFor("RelayOutbox", http: null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Middleware().Invoke(context, _ => throw new InvalidOperationException()));
        Assert.Empty(_logs.Entries);
    }

    [Fact]
    public async Task Successful_http_function_is_left_alone()
    {
        var http = NewHttpContext("/orders");
        var context = FunctionContextFor("CreateOrder", http);

        await Middleware().Invoke(context, _ => Task.CompletedTask);

        Assert.Equal(StatusCodes.Status200OK, http.Response.StatusCode);
        Assert.Equal(0, http.Response.Body.Length);
    }

    private FunctionsProblemMiddleware Middleware() => new(new LoggerFactory([_logs]).CreateLogger<FunctionsProblemMiddleware>());

    private static DefaultHttpContext NewHttpContext(string path) => new()
    {
        Request = { Path = path },
        Response = { Body = new MemoryStream() },
        RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
    };

    private static FunctionContext FunctionContextFor(string name, HttpContext? http)
    {
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(name);
        var items = new Dictionary<object, object>();
        if (http is not null)
        {
            items[HttpContextKey] = http;
        }

        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.Items).Returns(items);
        return context.Object;
    }
}
