namespace Shop.Deployment.Tests;

/// <summary>Every setting docker-compose.yml gives a .NET service is one that app reads, so a typo cannot pass silently.</summary>
public sealed class ComposeEnvironmentTests(ComposeFixture compose) : ComposeEnvironmentChecks(compose), IClassFixture<ComposeFixture>
{
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
