namespace Shop.Deployment.Tests;

/// <summary>What every compose configuration of the repository must satisfy, checked on what `docker-compose config` prints.</summary>
public abstract class ComposeChecks(ComposeFixture compose)
{
    internal abstract IReadOnlyList<string> ExpectedServices { get; }

    internal abstract IReadOnlyDictionary<string, ComposePort[]> DocumentedPorts { get; }

    private static readonly string[] OneShotConditions = ["service_completed_successfully", "service_started"];

    [Fact]
    public void Compose_config_validates_and_lists_every_service()
    {
        Assert.True(compose.Result.ExitCode == 0, compose.Result.Describe());

        var missing = ExpectedServices.Except(compose.Configuration.Services.Keys).ToList();

        Assert.True(missing.Count == 0, $"{string.Join(" + ", compose.Files)} lacks the services: {string.Join(", ", missing)}.");
    }

    [Fact]
    public void Every_build_context_and_Dockerfile_exists()
    {
        var problems = new List<string>();
        foreach (var service in compose.Configuration.Services.Values.Where(s => s.BuildContext is not null))
        {
            var context = Path.GetFullPath(service.BuildContext!, RepositoryRoot.Path);
            if (!Directory.Exists(context))
            {
                problems.Add($"{service.Name}: build context {context} does not exist.");
            }
            else if (!File.Exists(Path.Combine(context, service.Dockerfile!)))
            {
                problems.Add($"{service.Name}: {service.Dockerfile} does not exist in {context}.");
            }
        }

        ProblemList.AssertEmpty(problems);
    }

    [Fact]
    public void Every_service_has_an_image_or_a_build()
    {
        var neither = compose.Configuration.Services.Values.Where(s => s.Image is null && s.BuildContext is null).Select(s => s.Name).ToList();

        Assert.True(neither.Count == 0, $"No image and no build: {string.Join(", ", neither)}.");
    }

    [Fact]
    public void Every_published_port_is_the_documented_one()
    {
        var problems = new List<string>();
        foreach (var service in compose.Configuration.Services.Values)
        {
            var expected = DocumentedPorts.GetValueOrDefault(service.Name, []).Select(p => p.ToString()).Order().ToList();
            var actual = service.Ports.Select(p => p.ToString()).Order().ToList();
            if (!expected.SequenceEqual(actual))
            {
                problems.Add($"{service.Name} publishes [{string.Join(", ", actual)}], documented: [{string.Join(", ", expected)}].");
            }
        }

        ProblemList.AssertEmpty(problems);
    }

    [Fact]
    public void Every_service_has_a_health_check()
    {
        var without = compose.Configuration.Services.Values
            .Where(s => s.HealthcheckTest is not { Count: > 1 } test || test[0] is not ("CMD" or "CMD-SHELL"))
            .Select(s => s.Name)
            .ToList();

        Assert.True(without.Count == 0, $"Services without a health check (test: [\"CMD\", …] or [\"CMD-SHELL\", …]): {string.Join(", ", without)}.");
    }

    [Fact]
    public void Every_dependency_waits_for_a_healthy_service()
    {
        var services = compose.Configuration.Services;
        var problems = new List<string>();
        foreach (var (service, dependency, condition) in services.Values.SelectMany(s => s.DependsOn.Select(d => (s.Name, d.Key, d.Value))))
        {
            if (!services.TryGetValue(dependency, out var target))
            {
                problems.Add($"{service} depends on '{dependency}', which is no service.");
            }
            else if (condition != "service_healthy" && !(OneShotConditions.Contains(condition) && target.HealthcheckTest is null))
            {
                problems.Add($"{service} depends on {dependency} with condition '{condition}'; use service_healthy.");
            }
        }

        ProblemList.AssertEmpty(problems);
    }

    [Fact]
    public void Every_interpolated_variable_has_a_default()
    {
        var withoutDefault = DockerCompose.Variables(compose.Files).Where(v => v.Value is null).Select(v => v.Key).ToList();

        Assert.True(withoutDefault.Count == 0, $"`docker compose up` must work with no .env file ({string.Join(" + ", compose.Files)}); give these a default (${{NAME:-value}}): {string.Join(", ", withoutDefault)}.");
    }
}
