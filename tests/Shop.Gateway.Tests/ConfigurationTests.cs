using Microsoft.Extensions.Options;

namespace Shop.Gateway.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Gateway_refuses_to_start_with_an_allowed_origin_that_is_not_an_origin()
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--contentRoot={AppContext.BaseDirectory}",
            "--Gateway:AllowedOrigins:0=localhost:8080/app",
        ];

        // Kestrel reads the body limit from the gateway options while the app is built, so the check fires that early.
        var error = Assert.Throws<OptionsValidationException>(() => GatewayApp.Build(args));

        Assert.Contains("Gateway:AllowedOrigins", error.Message);
    }

    [Fact]
    public void Shipped_settings_listen_on_8000_and_point_at_the_function_apps_with_a_30_second_timeout()
    {
        var settings = ShippedSettings.Read();

        Assert.Equal("http://0.0.0.0:8000", settings["Urls"]);
        Assert.Equal("http://127.0.0.1:7071/", settings["ReverseProxy:Clusters:orders:Destinations:primary:Address"]);
        Assert.Equal("http://127.0.0.1:7072/", settings["ReverseProxy:Clusters:payments:Destinations:primary:Address"]);
        Assert.Equal("00:00:30", settings["ReverseProxy:Clusters:orders:HttpRequest:ActivityTimeout"]);
        Assert.Equal("00:00:30", settings["ReverseProxy:Clusters:payments:HttpRequest:ActivityTimeout"]);
        Assert.Equal<string>(["http://localhost:8080", "http://127.0.0.1:8080"], settings.GetSection("Gateway:AllowedOrigins").Get<string[]>() ?? []);
        Assert.Equal("65536", settings["Gateway:MaxRequestBodySize"]);
    }
}
