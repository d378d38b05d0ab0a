namespace Shop.IntegrationTests.Topology;

/// <summary>
/// The queue types on the real broker: the apps declare what RabbitMq:QueueType says, a queue of the other type is
/// refused by name, and a quorum queue dead-letters a message past its delivery limit into the consumers' own DLQ.
/// </summary>
public sealed class QueueTypeTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task The_running_apps_declare_every_durable_queue_as_the_configured_type()
    {
        var expected = Name(TestEnvironment.QueueType);

        foreach (var queue in ShopTopology.DurableQueues)
        {
            Assert.Equal((queue.Name, expected), (queue.Name, await system.Management.QueueTypeAsync(system.VirtualHost, queue.Name)));
        }
    }

    [Theory]
    [InlineData(QueueType.Classic, QueueType.Quorum)]
    [InlineData(QueueType.Quorum, QueueType.Classic)]
    public async Task Declaring_the_topology_over_queues_of_the_other_type_fails_naming_the_queue_and_changes_nothing(QueueType existing, QueueType declared)
    {
        await using var vhost = await ScratchVirtualHost.CreateAsync();
        await using (var channel = await vhost.Connection.CreateChannelAsync())
        {
            await RabbitMqTopology.DeclareAsync(channel, ShopTopology.Topology, existing, CancellationToken.None);
        }

        await using var again = await vhost.Connection.CreateChannelAsync();
        var mismatch = await Assert.ThrowsAsync<QueueMismatchException>(() => RabbitMqTopology.DeclareAsync(again, ShopTopology.Topology, declared, CancellationToken.None));

        Assert.Equal(ShopTopology.DurableQueues[0].Name, mismatch.Queue);
        Assert.Contains("inequivalent arg 'x-queue-type'", mismatch.Message);
        Assert.Contains($"queues migrate --to {Name(declared)}", mismatch.Message);
        foreach (var queue in ShopTopology.DurableQueues)
        {
            Assert.Equal((queue.Name, Name(existing)), (queue.Name, await vhost.Management.QueueTypeAsync(vhost.Name, queue.Name)));
        }
    }

    [Fact]
    public async Task A_quorum_queue_dead_letters_a_message_returned_unacked_past_its_delivery_limit_into_its_dlq_with_a_readable_reason()
    {
        const string queue = ShopTopology.PaymentsOrderCreatedQueue;
        await using var vhost = await ScratchVirtualHost.CreateAsync();
        await using (var channel = await vhost.Connection.CreateChannelAsync())
        {
            await RabbitMqTopology.DeclareAsync(channel, ShopTopology.Topology, QueueType.Quorum, CancellationToken.None);
        }
        await using var broker = await RawBroker.ConnectAsync(vhost.Uri);
        var messageId = Guid.NewGuid();
        await broker.PublishAsync(ShopTopology.OrdersExchange, "order.created", nameof(OrderCreated), "{}", messageId);

        // Each delivery left unacked on a channel that closes goes back to the queue, as with a consumer that crashes on it.
        for (var delivery = 0; delivery <= ShopTopology.DeliveryLimit; delivery++)
        {
            await using var consumer = await vhost.Connection.CreateChannelAsync();
            var message = await Eventually.UntilAsync(() => consumer.BasicGetAsync(queue, autoAck: false), m => m is not null,
                $"delivery {delivery} of the message");
            Assert.Equal(messageId.ToString(), message!.BasicProperties.MessageId);
        }

        var dead = await Eventually.UntilAsync(() => broker.PeekAsync(queue + ShopTopology.DeadLetterSuffix), m => m.Count == 1,
            "the message to be dead-lettered by the queue");
        await using var check = await vhost.Connection.CreateChannelAsync();
        Assert.Null(await check.BasicGetAsync(queue, autoAck: true));
        Assert.Equal(messageId.ToString(), dead[0].MessageId);
        Assert.Contains("delivery_limit", dead[0].Reason);
        Assert.Equal((ShopTopology.OrdersExchange, "order.created"), (dead[0].OriginalExchange, dead[0].OriginalRoutingKey));
    }

    private static string Name(QueueType type) => type.ToString().ToLowerInvariant();

    /// <summary>A virtual host of one test's own, so it can declare either queue type without meeting the running apps.</summary>
    private sealed class ScratchVirtualHost : IAsyncDisposable
    {
        private ScratchVirtualHost(string name, RabbitMqManagement management, IConnection connection)
        {
            Name = name;
            Management = management;
            Connection = connection;
        }

        public string Name { get; }
        public RabbitMqManagement Management { get; }
        public IConnection Connection { get; }
        public string Uri => TestEnvironment.RabbitMqUri(Name);

        public static async Task<ScratchVirtualHost> CreateAsync()
        {
            var name = $"shop-it-topology-{Guid.NewGuid():N}";
            var management = new RabbitMqManagement(new Uri(TestEnvironment.RabbitMqManagement));
            await management.CreateVirtualHostAsync(name);
            var connection = await new ConnectionFactory { Uri = new Uri(TestEnvironment.RabbitMqUri(name)) }.CreateConnectionAsync();
            return new ScratchVirtualHost(name, management, connection);
        }

        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            await Management.DeleteVirtualHostAsync(Name);
            Management.Dispose();
        }
    }
}
