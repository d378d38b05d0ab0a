using Microsoft.Extensions.Options;

namespace Shop.Hosting.Tests;

/// <summary>With Functions:HostKey set, the development host asks for the key where the Functions host would: every level above Anonymous.</summary>
public sealed class DevelopmentHostFunctionKeyTests : IAsyncLifetime
{
    private const string Key = "a-function-key-of-the-test-0123456789";
    private RunningDevelopmentHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningDevelopmentHost.StartAsync(clock: null, functions: null, $"--Functions:HostKey={Key}");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-key-0123456789-wrong-key")]
    [InlineData(Key + "x")]
    [InlineData("A-FUNCTION-KEY-OF-THE-TEST-0123456789")]
    public async Task A_function_level_function_without_the_key_is_a_401_problem(string? sent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Ping");
        if (sent is not null)
        {
            request.Headers.TryAddWithoutValidation("x-functions-key", sent);
        }

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("x-functions-key", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("/Ping", problem.RootElement.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task The_key_in_the_header_or_as_code_in_the_query_lets_the_call_through()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Ping");
        request.Headers.Add("x-functions-key", Key);
        using var withHeader = await _host.Client.SendAsync(request);
        using var withCode = await _host.Client.GetAsync($"/Ping?code={Uri.EscapeDataString(Key)}");

        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
        Assert.Equal("pong", await withHeader.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
    }

    [Fact]
    public async Task Two_keys_in_one_request_are_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Ping");
        request.Headers.Add("x-functions-key", [Key, "other"]);

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_anonymous_function_needs_no_key()
    {
        using var response = await _host.Client.GetAsync($"/items/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void No_warning_about_a_missing_key_is_logged_when_one_is_set() =>
        Assert.DoesNotContain(_host.Logs.Entries, e => e.EventId.Id == 6 && e.Category == typeof(DevelopmentHost).FullName);

    [Fact]
    public async Task Without_a_key_the_host_serves_every_function_and_warns_once_naming_them()
    {
        await using var open = await RunningDevelopmentHost.StartAsync();

        using var response = await open.Client.GetAsync("/Ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var warning = Assert.Single(open.Logs.Entries, e => e.Level == LogLevel.Warning && e.EventId.Id == 6);
        Assert.Contains("Ping", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Functions:HostKey", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_shorter_than_16_characters_stops_the_host()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningDevelopmentHost.StartAsync(clock: null, functions: null, "--Functions:HostKey=short"));

        Assert.Contains("HostKey", error.Message, StringComparison.Ordinal);
    }
}
