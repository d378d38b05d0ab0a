namespace Shop.Deployment.Tests;

/// <summary>The committed local.settings.example.json of each function app is what `func start` needs, and the real file stays out of git.</summary>
public sealed class LocalSettingsTests
{
    public static TheoryData<string> FunctionApps => new(DotnetApp.FunctionApps.Select(app => app.Service));

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Example_is_valid_settings_for_the_isolated_worker(string service)
    {
        var values = ReadValues(DotnetApp.Named(service), out var settings);

        Assert.False(settings["IsEncrypted"]!.GetValue<bool>());
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(values["AzureWebJobsStorage"]?.GetValue<string>()), "AzureWebJobsStorage is needed by the timer triggers.");
    }

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Example_sets_every_connection_string_the_app_reads(string service)
    {
        var app = DotnetApp.Named(service);
        var values = ReadValues(app, out _);

        var missing = new AppConfiguration(app).ConnectionNames.Where(name => values[$"ConnectionStrings:{name}"] is null).ToList();

        Assert.True(missing.Count == 0, $"local.settings.example.json of {service} lacks Values.ConnectionStrings:{string.Join(", ConnectionStrings:", missing)}.");
    }

    [Theory]
    [MemberData(nameof(FunctionApps))]
    public void Example_sets_only_keys_the_app_reads(string service)
    {
        var app = DotnetApp.Named(service);
        var configuration = new AppConfiguration(app);

        var unknown = ReadValues(app, out _).Select(v => configuration.WhyUnknown(v.Key)).OfType<string>().ToList();

        Assert.True(unknown.Count == 0, string.Join(Environment.NewLine, unknown));
    }

    [Fact]
    public void Gitignore_keeps_local_settings_out_and_the_examples_in()
    {
        var rules = File.ReadAllLines(RepositoryRoot.Combine(".gitignore"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith('!'))
            .ToList();

        foreach (var app in DotnetApp.FunctionApps)
        {
            Assert.True(IsIgnored(rules, $"{app.ProjectDirectory}/local.settings.json"), $".gitignore does not ignore {app.ProjectDirectory}/local.settings.json.");
            Assert.False(IsIgnored(rules, $"{app.ProjectDirectory}/local.settings.example.json"), $".gitignore ignores {app.ProjectDirectory}/local.settings.example.json, which must be committed.");
        }
    }

    // A rule without a slash matches a name at any depth; one with a slash matches from the repository root.
    private static bool IsIgnored(List<string> rules, string path) => rules.Any(rule =>
        rule.TrimEnd('/').Contains('/')
            ? Glob.ToRegex(rule.Trim('/')).IsMatch(path)
            : path.Split('/').Any(Glob.ToRegex(rule.TrimEnd('/')).IsMatch));

    private static JsonObject ReadValues(DotnetApp app, out JsonObject settings)
    {
        var path = RepositoryRoot.Combine(app.ProjectDirectory, "local.settings.example.json");
        Assert.True(File.Exists(path), $"{path} does not exist.");
        try
        {
            settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"{path} is not valid JSON: {e.Message}");
        }

        return settings["Values"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{path} has no Values object.");
    }
}
