namespace Shop.Hosting.Tests;

public sealed class DevelopmentHostLoggingTests
{
    [Fact]
    public async Task Unhandled_exception_is_logged_once_at_error_with_the_function_name()
    {
        await using var host = await RunningDevelopmentHost.StartAsync();

        var response = await host.Client.GetAsync("/failures/unexpected");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = Assert.Single(host.Logs.Entries, e => e.Exception?.Message == BrokenFunction.SecretMessage);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("Broken", error.Message);
        Assert.Contains("/failures/unexpected", error.Message);
    }
}
