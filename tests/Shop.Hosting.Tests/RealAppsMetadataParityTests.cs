namespace Shop.Hosting.Tests;

/// <summary>
/// The development host serves exactly what the Functions runtime would: the functions, routes, methods and
/// schedules it derives from the attributes match the functions.metadata the Worker SDK wrote at build time.
/// Invariant I19 of docs/architecture.md.
/// </summary>
public sealed class RealAppsMetadataParityTests
{
    [Fact]
    public void Orders_app_on_the_development_host_matches_its_functions_metadata() =>
        FunctionsMetadataParity.AssertMatches(typeof(OrdersExtensions).Assembly, MetadataPath("functions-orders"));

    [Fact]
    public void Payments_app_on_the_development_host_matches_its_functions_metadata() =>
        FunctionsMetadataParity.AssertMatches(typeof(PaymentsExtensions).Assembly, MetadataPath("functions-payments"));

    [Fact]
    public void Every_contract_route_is_a_function_of_one_of_the_apps()
    {
        var routes = DevelopmentHost.Discover(typeof(OrdersExtensions).Assembly)
            .Concat(DevelopmentHost.Discover(typeof(PaymentsExtensions).Assembly))
            .Select(f => f.Trigger).OfType<HttpFunctionTrigger>()
            .SelectMany(t => t.Methods.Select(m => $"{m.ToUpperInvariant()} /{t.Route}"))
            .ToHashSet();

        Assert.Superset(
            new HashSet<string> { "POST /orders", "GET /orders", "GET /orders/{id}", "POST /account", "POST /account/topup", "GET /account/balance" },
            routes);
    }

    /// <summary>The app's own build output, built in the same configuration as this test assembly.</summary>
    private static string MetadataPath(string appFolder)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var configuration = typeof(RealAppsMetadataParityTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        return Path.Combine(directory.FullName, appFolder, "bin", configuration, "net10.0", "functions.metadata");
    }
}
