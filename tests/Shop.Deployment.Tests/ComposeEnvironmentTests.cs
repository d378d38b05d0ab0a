using Shop.Deployment.Tests.Infrastructure;

namespace Shop.Deployment.Tests;

/// <summary>Every setting docker-compose.yml gives a .NET service is one that app reads, so a typo cannot pass silently.</summary>
public sealed class ComposeEnvironmentTests(ComposeFixture compose) : IClassFixture<ComposeFixture>
{
    public static TheoryData<string> Apps => new(DotnetApp.All.Select(app => app.Service));

    [Theory]
    [MemberData(nameof(Apps))]
    public void Every_environment_variable_is_read_by_the_app(string service)
    {
        var app = DotnetApp.Named(service);
        var configuration = new AppConfiguration(app);
        Assert.True(compose.Configuration.Services.TryGetValue(service, out var composed), $"docker-compose.yml has no service {service}.");

        var unknown = composed.Environment.Keys.Select(configuration.WhyUnknown).OfType<string>().ToList();

        Assert.True(unknown.Count == 0, $"{service}:{Environment.NewLine}" + string.Join(Environment.NewLine, unknown));
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Every_connection_string_the_app_reads_is_set(string service)
    {
        var app = DotnetApp.Named(service);
        var configuration = new AppConfiguration(app);
        var environment = compose.Configuration.Services[service].Environment;

        var unset = configuration.ConnectionNames.Where(name => !environment.ContainsKey($"ConnectionStrings__{name}")).ToList();

        Assert.True(unset.Count == 0, $"{service} reads ConnectionStrings:{string.Join(", ConnectionStrings:", unset)}, which docker-compose.yml does not set.");
    }

    [Fact]
    public void A_misspelt_key_is_reported_with_its_name()
    {
        var configuration = new AppConfiguration(DotnetApp.Orders);

        Assert.Null(configuration.WhyUnknown("Messaging__RelayBatchSize"));
        Assert.Null(configuration.WhyUnknown("ConnectionStrings__Orders"));
        Assert.Contains("Messaging__RelayBatchSise", configuration.WhyUnknown("Messaging__RelayBatchSise"));
        Assert.Contains("ConnectionStrings__Payments", configuration.WhyUnknown("ConnectionStrings__Payments"));
        Assert.Contains("Gateway__AllowedOrigins__0", configuration.WhyUnknown("Gateway__AllowedOrigins__0"));
    }

    [Fact]
    public void A_gateway_override_must_name_an_existing_cluster()
    {
        var configuration = new AppConfiguration(DotnetApp.Gateway);

        Assert.Null(configuration.WhyUnknown("ReverseProxy__Clusters__orders__Destinations__primary__Address"));
        Assert.Null(configuration.WhyUnknown("Gateway__AllowedOrigins__1"));
        Assert.NotNull(configuration.WhyUnknown("ReverseProxy__Clusters__order__Destinations__primary__Address"));
        Assert.NotNull(configuration.WhyUnknown("Gateway__AllowedOrigins"));
        Assert.NotNull(configuration.WhyUnknown("FUNCTIONS_WORKER_RUNTIME"));
    }
}
