namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// A virtual host of one test's own on the real broker, with a small topology of its own (one event exchange, one
/// consumer queue and its DLQ, the unrouted queue): the transport's tests drive <c>Shop.Messaging.RabbitMq</c> there
/// directly, without the shop's apps or a database, and close connections or delete queues without meeting anyone else.
/// </summary>
public sealed class ScratchBroker : IAsyncDisposable
{
    public const string ConnectionName = "broker";
    public const string Exchange = "scratch.events";
    public const string RoutingKey = "work";

    private ScratchBroker(string vhost, RabbitMqManagement management, IConnection connection)
    {
        VirtualHost = vhost;
        Management = management;
        Connection = connection;
        Topology = new MessageTopology("scratch.dead-letter", "scratch.unrouted", "scratch.unrouted", deliveryLimit: 20,
            [new EventRoute(typeof(object), "Work", Exchange, RoutingKey)],
            [new QueueBinding(Queue, Exchange, [RoutingKey])]);
    }

    public string VirtualHost { get; }

    public RabbitMqManagement Management { get; }

    /// <summary>The test's own connection to the virtual host, for declaring, publishing and reading queues.</summary>
    public IConnection Connection { get; }

    public string Uri => TestEnvironment.RabbitMqUri(VirtualHost);

    /// <summary>The consumer queue of <see cref="Topology"/>, bound to <see cref="Exchange"/> with <see cref="RoutingKey"/>.</summary>
    public string Queue { get; } = $"scratch.work-{Guid.NewGuid():N}"[..22];

    public MessageTopology Topology { get; }

    public static async Task<ScratchBroker> CreateAsync()
    {
        var vhost = $"shop-it-transport-{Guid.NewGuid():N}";
        var management = new RabbitMqManagement(new Uri(TestEnvironment.RabbitMqManagement));
        await management.CreateVirtualHostAsync(vhost);
        var connection = await new ConnectionFactory { Uri = new Uri(TestEnvironment.RabbitMqUri(vhost)), ClientProvidedName = "scratch-test" }
            .CreateConnectionAsync();
        return new ScratchBroker(vhost, management, connection);
    }

    /// <summary>
    /// A host with the transport's connection and publisher on this virtual host (<c>AddRabbitMq</c>, as the apps
    /// compose it), the queue type of the run (<c>RabbitMq__QueueType</c>) unless <paramref name="settings"/> say otherwise.
    /// </summary>
    public IHost BuildHost(string service, Action<IServiceCollection>? configure = null, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionName}"] = Uri,
            ["RabbitMq:QueueType"] = TestEnvironment.QueueType.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddRabbitMq(ConnectionName, service, Topology);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Declares <see cref="Topology"/> as <paramref name="type"/> (the run's type when not given).</summary>
    public async Task DeclareTopologyAsync(QueueType? type = null)
    {
        await using var channel = await Connection.CreateChannelAsync();
        await RabbitMqTopology.DeclareAsync(channel, Topology, type ?? TestEnvironment.QueueType, CancellationToken.None);
    }

    /// <summary>Publishes <paramref name="count"/> messages to <see cref="Queue"/>, each confirmed; returns their ids in order.</summary>
    public async Task<List<string>> PublishAsync(int count)
    {
        await using var channel = await Connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.CreateVersion7().ToString();
            await channel.BasicPublishAsync(Exchange, RoutingKey, mandatory: true,
                new BasicProperties { MessageId = id, Persistent = true }, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
            ids.Add(id);
        }
        return ids;
    }

    /// <summary>Messages ready in <paramref name="queue"/>, exact at once (a passive declare; the management API's figures lag).</summary>
    public async Task<uint> ReadyAsync(string queue)
    {
        await using var channel = await Connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>The broker's names of the connections whose client named them <paramref name="clientName"/>.</summary>
    public async Task<List<string>> ConnectionsAsync(string clientName) =>
        (await Management.ConnectionsAsync(VirtualHost)).Where(c => c.ClientName == clientName).Select(c => c.Name).ToList();

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Management.DeleteVirtualHostAsync(VirtualHost);
        Management.Dispose();
    }
}
