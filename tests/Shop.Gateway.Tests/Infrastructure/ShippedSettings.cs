namespace Shop.Gateway.Tests.Infrastructure;

internal static class ShippedSettings
{
    /// <summary>The gateway's appsettings.json as it ships (the build copies it beside the tests).</summary>
    public static IConfigurationRoot Read() =>
        new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: false).Build();
}
