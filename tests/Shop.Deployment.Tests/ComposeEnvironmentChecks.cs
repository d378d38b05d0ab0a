namespace Shop.Deployment.Tests;

/// <summary>Every setting a compose configuration gives a .NET service is one that app reads, and every connection string it reads is set.</summary>
public abstract class ComposeEnvironmentChecks(ComposeFixture compose)
{
    public static TheoryData<string> Apps => new(DotnetApp.All.Select(app => app.Service));

    [Theory]
    [MemberData(nameof(Apps))]
    public void Every_environment_variable_is_read_by_the_app(string service)
    {
        var app = DotnetApp.Named(service);
        var configuration = new AppConfiguration(app);
        Assert.True(compose.Configuration.Services.TryGetValue(service, out var composed), $"{string.Join(" + ", compose.Files)} has no service {service}.");

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

        Assert.True(unset.Count == 0, $"{service} reads ConnectionStrings:{string.Join(", ConnectionStrings:", unset)}, which {string.Join(" + ", compose.Files)} does not set.");
    }
}
