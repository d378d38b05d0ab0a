namespace Shop.Hosting.Tests;

public sealed class DevelopmentHostDiscoveryTests
{
    private static readonly IReadOnlyList<FunctionDescriptor> Functions = DevelopmentHost.Discover(typeof(GetItemFunction).Assembly);

    [Fact]
    public void Every_function_of_the_assembly_is_discovered_but_nested_classes_are_skipped_like_the_sdk_does()
    {
        string[] expected =
        [
            "Broken", "CreateItem", "DatabaseDown", "DatabaseDownAfterRetries", "FlakyTick", "GetItem", "GetItemVersion",
            "MarkItemSeen", "Ping", "Startup", "Tick",
        ];

        Assert.Equal(expected, Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Http_trigger_is_read_from_the_attribute()
    {
        var function = Functions.Single(f => f.Name == "GetItemVersion");

        Assert.Equal(typeof(GetItemVersionFunction), function.Type);
        Assert.Equal(nameof(GetItemVersionFunction.Run), function.Method.Name);
        Assert.Equal("Shop.Hosting.Tests.SampleFunctions.GetItemVersionFunction.Run", function.EntryPoint);
        var http = Assert.IsType<HttpFunctionTrigger>(function.Trigger);
        Assert.Equal(["get", "head"], http.Methods);
        Assert.Equal("items/{id:guid}/versions/{version:long}", http.Route);
        Assert.Equal(AuthorizationLevel.Anonymous, http.AuthLevel);
    }

    [Fact]
    public void Function_without_a_route_defaults_to_its_name()
    {
        var http = Assert.IsType<HttpFunctionTrigger>(Functions.Single(f => f.Name == "Ping").Trigger);

        Assert.Equal("Ping", http.Route);
        Assert.Equal(AuthorizationLevel.Function, http.AuthLevel);
    }

    [Fact]
    public void Timer_trigger_is_read_from_the_attribute()
    {
        Assert.Equal(new TimerFunctionTrigger("*/1 * * * * *", RunOnStartup: false), Functions.Single(f => f.Name == "Tick").Trigger);
        Assert.Equal(new TimerFunctionTrigger("0 0 0 1 1 *", RunOnStartup: true), Functions.Single(f => f.Name == "Startup").Trigger);
    }

    [Fact]
    public void Dev_host_flag_is_recognised()
    {
        Assert.True(DevelopmentHost.IsRequested(["--urls", "http://127.0.0.1:0", "--dev-host"]));
        Assert.False(DevelopmentHost.IsRequested(["--urls", "http://127.0.0.1:0"]));
    }

    [Theory]
    [InlineData(typeof(InvalidFunctions.TakesFunctionContext), "FunctionContext")]
    [InlineData(typeof(InvalidFunctions.ReturnsString), "System.String")]
    [InlineData(typeof(InvalidFunctions.BindsUnknownParameter), "thingId")]
    [InlineData(typeof(InvalidFunctions.TimerTakesFunctionContext), "FunctionContext")]
    [InlineData(typeof(InvalidFunctions.TimerWithBadSchedule), "every five minutes")]
    public void Unsupported_function_stops_startup_with_a_message_naming_it(Type functionClass, string reason)
    {
        var functions = FunctionDiscovery.Discover([functionClass]);

        var error = Assert.ThrowsAny<Exception>(() => DevelopmentHost.Build([], functions, _ => { }));

        Assert.Contains($"'{functions.Single().Name}'", error.Message);
        Assert.Contains(reason, error.Message);
    }
}
