namespace Shop.Deployment.Tests;

/// <summary>`dotnet publish` of each function app leaves what the Functions host in the container loads from /home/site/wwwroot.</summary>
public sealed class FunctionPublishTests(PublishFixture publish) : IClassFixture<PublishFixture>
{
    public static TheoryData<string> FunctionApps => new(DotnetApp.FunctionApps.Select(app => app.Service));

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Publish_succeeds_and_writes_the_app_assembly(string service)
    {
        var app = DotnetApp.Named(service);
        var result = publish.ResultOf(app);
        Assert.True(result.ExitCode == 0, result.Describe());

        Assert.True(File.Exists(Path.Combine(publish.OutputOf(app), app.AssemblyFileName)), $"{app.AssemblyFileName} is not in the publish output.");
        Assert.False(File.Exists(Path.Combine(publish.OutputOf(app), "local.settings.json")), "local.settings.json holds local secrets and must not be published.");
    }

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Host_json_has_the_empty_route_prefix(string service)
    {
        var hostJson = ReadJson(DotnetApp.Named(service), "host.json");

        Assert.Equal("2.0", hostJson["version"]?.GetValue<string>());
        Assert.Equal("", hostJson["extensions"]?["http"]?["routePrefix"]?.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Functions_metadata_lists_every_function_of_the_assembly(string service)
    {
        var app = DotnetApp.Named(service);
        var metadata = ReadJson(app, "functions.metadata").AsArray();
        var declared = new AppConfiguration(app).FunctionNames();

        var published = metadata.Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, published);
        Assert.All(metadata, f => Assert.Equal(app.AssemblyFileName, f!["scriptFile"]?.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Worker_config_starts_the_published_assembly(string service)
    {
        var app = DotnetApp.Named(service);
        var description = ReadJson(app, "worker.config.json")["description"];

        Assert.Equal("dotnet-isolated", description?["language"]?.GetValue<string>());
        Assert.Equal(app.AssemblyFileName, description?["defaultWorkerPath"]?.GetValue<string>());
        // The images publish with UseAppHost=false, so the host starts the worker through `dotnet`.
        Assert.Equal("dotnet", description?["defaultExecutablePath"]?.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Worker_extensions_are_published_where_extensions_json_points(string service)
    {
        var app = DotnetApp.Named(service);
        var output = publish.OutputOf(app);
        var extensions = Path.Combine(output, ".azurefunctions");
        Assert.True(Directory.Exists(extensions), $"{extensions} does not exist; the Worker SDK builds it during publish.");
        Assert.True(File.Exists(Path.Combine(extensions, "function.deps.json")), "function.deps.json is missing from .azurefunctions.");
        Assert.True(File.Exists(Path.Combine(extensions, "Microsoft.Azure.Functions.Worker.Extensions.dll")), "The worker extensions assembly is missing from .azurefunctions.");

        var hintPaths = ReadJson(app, "extensions.json")["extensions"]!.AsArray()
            .Select(e => e!["hintPath"]!.GetValue<string>())
            .ToList();

        Assert.NotEmpty(hintPaths);
        Assert.All(hintPaths, hint => Assert.True(File.Exists(Path.Combine(output, hint)), $"extensions.json points at {hint}, which was not published."));
    }

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Runtimeconfig_carries_the_measured_runtime_settings(string service)
    {
        var app = DotnetApp.Named(service);
        var properties = ReadJson(app, Path.ChangeExtension(app.AssemblyFileName, ".runtimeconfig.json"))["runtimeOptions"]?["configProperties"];

        // build/RuntimeSettings.props; docs/performance.md says why each is set.
        Assert.False(properties?["System.Runtime.TieredPGO"]?.GetValue<bool>() ?? true, "dynamic PGO is not switched off");
        Assert.Equal(0, properties?["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]?.GetValue<int>());
    }

    private JsonNode ReadJson(DotnetApp app, string fileName)
    {
        var result = publish.ResultOf(app);
        Assert.True(result.ExitCode == 0, result.Describe());
        var path = Path.Combine(publish.OutputOf(app), fileName);
        Assert.True(File.Exists(path), $"{fileName} is not in the publish output of {app}.");
        return JsonNode.Parse(File.ReadAllText(path))!;
    }
}
