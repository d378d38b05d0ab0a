namespace Shop.Deployment.Tests;

/// <summary>
/// docker-compose.ha.yml merged over docker-compose.yml: every check of a compose configuration, and a three-node
/// RabbitMQ cluster that the apps and the gateway all list, with quorum queues.
/// </summary>
public sealed partial class HaComposeFileTests(HaComposeFixture compose) : ComposeChecks(compose), IClassFixture<HaComposeFixture>
{
    private static readonly string[] Nodes = ["rabbitmq", "rabbitmq-2", "rabbitmq-3"];
    private const string ClusterConfig = "deploy/rabbitmq/cluster.conf";

    internal override IReadOnlyList<string> ExpectedServices => [.. ComposeFileTests.Services, "rabbitmq-2", "rabbitmq-3"];

    // The added nodes are reached inside the network only; rabbitmq's UI shows the whole cluster.
    internal override IReadOnlyDictionary<string, ComposePort[]> DocumentedPorts => ComposeFileTests.Ports;

    [Fact]
    public void The_nodes_share_one_cookie_and_the_cluster_configuration_that_names_each_of_them()
    {
        var services = compose.Configuration.Services;
        var named = ClusterNodes().Order().ToList();

        var cookies = Nodes.Select(node => services[node].Environment.GetValueOrDefault("RABBITMQ_ERLANG_COOKIE")).Distinct().ToList();
        Assert.True(cookies is [{ Length: > 0 }], $"The nodes' RABBITMQ_ERLANG_COOKIE differ or are empty: [{string.Join(", ", cookies)}].");
        Assert.All(Nodes, node => Assert.Contains(services[node].Volumes,
            volume => volume.StartsWith(RepositoryRoot.Combine(ClusterConfig) + ":/etc/rabbitmq/conf.d/", StringComparison.Ordinal)));
        Assert.Equal(Nodes.Select(node => $"rabbit@{services[node].Hostname}").Order(), named);
    }

    [Fact]
    public void Every_app_lists_every_node_and_the_function_apps_declare_quorum_queues()
    {
        var services = compose.Configuration.Services;
        var problems = new List<string>();
        foreach (var app in DotnetApp.All)
        {
            var environment = services[app.Service].Environment;
            var endpoints = BrokerEndpoint.TryParseList(environment.GetValueOrDefault("RabbitMq__Endpoints"), 5672, out var error);
            if (endpoints is null || !endpoints.Select(e => e.ToString()).Order(StringComparer.Ordinal).SequenceEqual(Nodes.Select(n => $"{n}:5672").Order(StringComparer.Ordinal)))
            {
                problems.Add($"{app}: RabbitMq__Endpoints is '{environment.GetValueOrDefault("RabbitMq__Endpoints")}' {error}, not the three nodes.");
            }
            if (DotnetApp.FunctionApps.Contains(app) && environment.GetValueOrDefault("RabbitMq__QueueType") != "quorum")
            {
                problems.Add($"{app}: RabbitMq__QueueType is not quorum.");
            }
            var waitsFor = DependencyClosure(app.Service);
            problems.AddRange(Nodes.Where(node => !waitsFor.Contains(node)).Select(node => $"{app} does not wait for {node}."));
        }

        ProblemList.AssertEmpty(problems);
    }

    private HashSet<string> DependencyClosure(string service)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Stack<string>([service]);
        while (next.TryPop(out var current))
        {
            foreach (var dependency in compose.Configuration.Services[current].DependsOn.Keys.Where(seen.Add))
            {
                next.Push(dependency);
            }
        }
        return seen;
    }

    private static IEnumerable<string> ClusterNodes() =>
        File.ReadLines(RepositoryRoot.Combine(ClusterConfig)).Select(line => ClassicConfigNode().Match(line)).Where(m => m.Success).Select(m => m.Groups["node"].Value);

    [GeneratedRegex(@"^\s*cluster_formation\.classic_config\.nodes\.\d+\s*=\s*(?<node>\S+)\s*$")]
    private static partial Regex ClassicConfigNode();
}
