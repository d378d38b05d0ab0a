namespace Shop.FaultTests.Cluster;

/// <summary>
/// The three-node RabbitMQ cluster of scripts/rabbitmq-cluster.sh on 127.0.0.1, shared by the cluster tests: started
/// if it is not running (and stopped again at the end, unless it was running before), its nodes killed, stopped and
/// restarted through the script, and watched through the management API of whichever node is up.
/// </summary>
public sealed class RabbitMqCluster : IAsyncLifetime
{
    public const int NodeCount = 3;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);
    private readonly HttpClient[] _management = Enumerable.Range(1, NodeCount).Select(ManagementClient).ToArray();
    private readonly List<PoisonMessage> _sharedSystemPoison = [];
    private bool _startedHere;
    private ProcessSystem? _shared;

    public static IReadOnlyList<int> Nodes { get; } = Enumerable.Range(1, NodeCount).ToList();

    public static int AmqpPort(int node) => 5680 + node;

    public static string NodeName(int node) => $"shop-ha-{node}@localhost";

    /// <returns>The node's number, or 0 for a name that is none of the cluster's.</returns>
    public static int NodeNumber(string? name) => Nodes.FirstOrDefault(n => NodeName(n) == name);

    /// <summary>RabbitMq:Endpoints for the apps: every node of the cluster.</summary>
    public static string Endpoints { get; } = string.Join(',', Nodes.Select(n => $"127.0.0.1:{AmqpPort(n)}"));

    public static string Script => Path.Combine(FaultEnvironment.RepositoryRoot, "scripts", "rabbitmq-cluster.sh");

    /// <summary>The cluster as a <see cref="ProcessSystem"/> uses it: connection string on node 1, every node as an endpoint.</summary>
    public static BrokerSetup Broker(QueueType queueType) =>
        new("127.0.0.1", AmqpPort(1), new Uri($"http://127.0.0.1:{15680 + 1}"), Endpoints, queueType);

    public async Task InitializeAsync()
    {
        _startedHere = !(await Task.WhenAll(Nodes.Select(IsUpAsync))).All(up => up);
        await RunScriptAsync("start");
    }

    /// <summary>One system (quorum queues, every node as an endpoint) for the tests that only need one, started on first use.</summary>
    public async Task<ProcessSystem> SharedSystemAsync()
    {
        if (_shared is null)
        {
            var system = new ProcessSystem(Broker(QueueType.Quorum));
            await system.InitializeAsync();
            _shared = system;
        }
        return _shared;
    }

    /// <summary>Every poison message injected into the shared system: what its dead-letter queue must hold, and nothing else.</summary>
    public IReadOnlyCollection<PoisonMessage> SharedSystemPoison => _sharedSystemPoison;

    /// <summary>Publishes the poison set into the shared system through <paramref name="viaNode"/> (one that is up).</summary>
    public async Task<IReadOnlyList<PoisonMessage>> InjectPoisonAsync(ProcessSystem system, long userId, int viaNode)
    {
        await using var broker = await RawBroker.ConnectAsync($"amqp://guest:guest@127.0.0.1:{AmqpPort(viaNode)}/{Uri.EscapeDataString(system.VirtualHost)}");
        var poison = await MessageInjection.PublishPoisonAsync(broker, userId);
        _sharedSystemPoison.AddRange(poison);
        return poison;
    }

    public Task KillAsync(int node) => RunScriptAsync($"kill {node}");

    /// <summary>On disposal, starts whatever node is down (a test that failed mid-fault), so the next test finds three.</summary>
    public IAsyncDisposable RestoreOnExit() => new Restore();

    private sealed class Restore : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (!(await Task.WhenAll(Nodes.Select(IsUpAsync))).All(up => up))
            {
                await RunScriptAsync("start");
            }
        }
    }

    public Task StopAsync(int node) => RunScriptAsync($"stop {node}");

    /// <summary>Starts the node again and returns once it runs and is back in the cluster.</summary>
    public Task RestartAsync(int node) => RunScriptAsync($"restart {node}");

    /// <summary>A queue as the management API of any running node describes it (type, leader, members, online, messages).</summary>
    public async Task<JsonElement> QueueAsync(string vhost, string queue) =>
        await GetJsonAsync($"/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");

    /// <summary>The node that leads a quorum queue (or hosts a classic one); 0 while it has none.</summary>
    public async Task<int> LeaderAsync(string vhost, string queue)
    {
        var info = await QueueAsync(vhost, queue);
        return NodeNumber(info.TryGetProperty("leader", out var leader) ? leader.GetString() : info.GetProperty("node").GetString());
    }

    /// <summary>The nodes a quorum queue has a running replica on.</summary>
    public async Task<IReadOnlyList<int>> OnlineReplicasAsync(string vhost, string queue)
    {
        var info = await QueueAsync(vhost, queue);
        return info.TryGetProperty("online", out var online) ? online.EnumerateArray().Select(n => NodeNumber(n.GetString())).Order().ToList() : [];
    }

    /// <summary>Every client connection to the virtual host: its client-provided name, node, and when the broker accepted it.</summary>
    public async Task<IReadOnlyList<ClusterConnection>> ConnectionsAsync(string vhost)
    {
        var list = await GetJsonAsync($"/api/vhosts/{Uri.EscapeDataString(vhost)}/connections");
        return list.EnumerateArray().Select(c => new ClusterConnection(
            c.TryGetProperty("user_provided_name", out var name) ? name.GetString() ?? "" : "",
            NodeNumber(c.GetProperty("node").GetString()),
            DateTimeOffset.FromUnixTimeMilliseconds(c.GetProperty("connected_at").GetInt64()))).ToList();
    }

    public async Task DisposeAsync()
    {
        if (_shared is not null)
        {
            await _shared.DisposeAsync();
        }
        // Leaves the cluster as the tests found it: stopped if they started it, else whole again.
        await RunScriptAsync(_startedHere ? "stop" : "start");
        foreach (var client in _management)
        {
            client.Dispose();
        }
    }

    /// <summary>A GET of the management API of the first node that answers.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var problems = new StringBuilder();
        foreach (var client in _management)
        {
            try
            {
                using var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    return JsonDocument.Parse(body).RootElement.Clone();
                }
                problems.Append(CultureInfo.InvariantCulture, $"{client.BaseAddress}: {(int)response.StatusCode} {body}; ");
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                problems.Append(CultureInfo.InvariantCulture, $"{client.BaseAddress}: {exception.Message}; ");
            }
        }
        throw new HttpRequestException($"No management API answered {path}: {problems}");
    }

    /// <summary>Whether the node accepts AMQP connections.</summary>
    public static async Task<bool> IsUpAsync(int node)
    {
        try
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync("127.0.0.1", AmqpPort(node));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static Task RunScriptAsync(string arguments) => Shell.RunCheckedAsync($"'{Script}' {arguments}", ScriptTimeout);

    private static HttpClient ManagementClient(int node)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{15680 + node}"), Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return client;
    }
}

/// <param name="Name">The name the client gave it, e.g. <c>payments-consumer-payments.order-created</c>.</param>
public sealed record ClusterConnection(string Name, int Node, DateTimeOffset ConnectedAt);
