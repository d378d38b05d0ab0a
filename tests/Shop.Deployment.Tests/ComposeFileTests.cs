using Shop.Deployment.Tests.Infrastructure;

namespace Shop.Deployment.Tests;

/// <summary>docker-compose.yml, as `docker-compose config` normalises it: services, builds, ports, health checks, start order.</summary>
public sealed class ComposeFileTests(ComposeFixture compose) : IClassFixture<ComposeFixture>
{
    private static readonly string[] ExpectedServices =
        ["rabbitmq", "orders-db", "payments-db", "azurite", "functions-orders", "functions-payments", "gateway-proxy", "static-site", "aspire-dashboard"];

    // The seed's ports (8001: the original Orders service's WebSocket, now on the gateway), plus the infrastructure a
    // `func start` on the host connects to (loopback only).
    private static readonly Dictionary<string, ComposePort[]> DocumentedPorts = new(StringComparer.Ordinal)
    {
        ["gateway-proxy"] = [new("", 8000, 8000), new("", 8001, 8001)],
        ["static-site"] = [new("", 8080, 8080)],
        ["rabbitmq"] = [new("", 5672, 5672), new("", 15672, 15672)],
        ["aspire-dashboard"] = [new("", 18888, 18888)],
        ["orders-db"] = [new("127.0.0.1", 5432, 5432)],
        ["payments-db"] = [new("127.0.0.1", 5433, 5432)],
        ["azurite"] = [new("127.0.0.1", 10000, 10000), new("127.0.0.1", 10001, 10001), new("127.0.0.1", 10002, 10002)],
    };

    private static readonly string[] OneShotConditions = ["service_completed_successfully", "service_started"];

    [Fact]
    public void Compose_config_validates_and_lists_every_service()
    {
        Assert.True(compose.Result.ExitCode == 0, compose.Result.Describe());

        var missing = ExpectedServices.Except(compose.Configuration.Services.Keys).ToList();

        Assert.True(missing.Count == 0, $"docker-compose.yml lacks the services: {string.Join(", ", missing)}.");
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

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
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

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
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

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_interpolated_variable_has_a_default()
    {
        var withoutDefault = DockerCompose.Variables().Where(v => v.Value is null).Select(v => v.Key).ToList();

        Assert.True(withoutDefault.Count == 0, $"`docker compose up` must work with no .env file; give these a default (${{NAME:-value}}): {string.Join(", ", withoutDefault)}.");
    }
}
