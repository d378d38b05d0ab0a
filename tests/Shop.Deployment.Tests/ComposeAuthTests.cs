namespace Shop.Deployment.Tests;

/// <summary>docker-compose.yml puts the apps behind the gateway: unpublished, asking for the key the gateway sends, identity settings passed through.</summary>
public sealed class ComposeAuthTests(ComposeFixture compose) : IClassFixture<ComposeFixture>
{
    private static readonly string[] FunctionApps = ["functions-orders", "functions-payments"];

    [Fact]
    public void The_function_apps_are_not_published_on_the_host()
    {
        foreach (var app in FunctionApps)
        {
            Assert.Empty(compose.Configuration.Services[app].Ports);
        }
    }

    [Fact]
    public void Each_app_asks_for_the_key_the_gateway_sends_it()
    {
        var gateway = compose.Configuration.Services["gateway-proxy"].Environment;

        foreach (var (app, cluster) in new[] { ("functions-orders", "orders"), ("functions-payments", "payments") })
        {
            var environment = compose.Configuration.Services[app].Environment;
            Assert.Equal("files", environment["AzureWebJobsSecretStorageType"]);
            Assert.False(string.IsNullOrWhiteSpace(environment["FUNCTIONS_SECRETS_PATH"]));
            Assert.True(environment["Functions__HostKey"].Length >= 16, $"{app}: the function key is shorter than 16 characters.");
            Assert.Equal(environment["Functions__HostKey"], gateway[$"ReverseProxy__Clusters__{cluster}__Metadata__FunctionKey"]);
        }
    }

    [Fact]
    public void The_gateway_gets_the_identity_settings_with_Header_mode_by_default()
    {
        var gateway = compose.Configuration.Services["gateway-proxy"].Environment;

        Assert.Equal("Header", gateway["Auth__Mode"]);
        Assert.Equal("false", gateway["Auth__DevTokens"]);
        Assert.True(gateway.ContainsKey("Auth__SigningKey"));
        Assert.True(gateway.ContainsKey("Auth__Authority"));
    }
}
