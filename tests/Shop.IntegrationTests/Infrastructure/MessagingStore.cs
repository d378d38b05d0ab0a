namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL database of its own with the Orders schema and no app running on it, for the outbox relay and the
/// cleanup driven directly: every outbox row and inbox record in it is the test's own. The tables are emptied
/// before each test (<see cref="ResetAsync"/>).
/// </summary>
public sealed class MessagingStore : IAsyncLifetime
{
    private readonly RunInfrastructure _infrastructure;

    public MessagingStore()
    {
        var runId = Guid.NewGuid().ToString("N")[..10];
        Database = $"shop_it_{runId}_store";
        _infrastructure = new RunInfrastructure(TestEnvironment.PostgresAdmin,
            new RabbitMqManagement(new Uri(TestEnvironment.RabbitMqManagement)), $"shop-it-{runId}-store", Database);
    }

    public string Database { get; }

    public string ConnectionString => _infrastructure.ConnectionString(Database, maxPoolSize: 10);

    /// <summary>The store's own virtual host on the real broker, for a host that connects to it (the relay tests give theirs a publisher).</summary>
    public string BrokerUri => TestEnvironment.RabbitMqUri(_infrastructure.VirtualHost);

    public NpgsqlDataSource Db { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _infrastructure.CreateAsync();
        Db = NpgsqlDataSource.Create(ConnectionString);
        using var host = BuildHost();
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Database.MigrateAsync();
    }

    public Task ResetAsync() => Db.ExecuteAsync("TRUNCATE outbox_messages, inbox_messages");

    /// <summary>
    /// The Orders messaging services on this database, not started (the relay, the cleanup and the contexts are used
    /// directly); <paramref name="configure"/> replaces what the test controls, such as the clock or the publisher.
    /// </summary>
    public IHost BuildHost(Action<IServiceCollection>? configure = null, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{OrdersExtensions.DatabaseConnectionName}"] = ConnectionString,
            // Never connected to: the tests give the relay a publisher of their own.
            [$"ConnectionStrings:{OrdersExtensions.BrokerConnectionName}"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddServiceDatabase<OrdersDbContext>(OrdersExtensions.DatabaseConnectionName);
        builder.AddMessaging<OrdersDbContext>(OrdersExtensions.BrokerConnectionName, "store-test", ShopEvents.Contract);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Writes an unpublished OrderStatusChanged row directly, as a commit would have.</summary>
    public async Task<Guid> InsertOutboxRowAsync(DateTimeOffset createdAt, DateTimeOffset? publishedAt = null)
    {
        var id = Guid.CreateVersion7();
        await Db.ExecuteAsync("""
            INSERT INTO outbox_messages (id, type, exchange, routing_key, payload, correlation_id, created_at, published_at, attempts)
            VALUES ($1, 'OrderStatusChanged', 'shop.orders', 'order.status-changed', $2::json, $1, $3, $4, 0)
            """,
            id, $"{{\"orderId\":\"{id}\",\"userId\":1,\"status\":\"PAID\",\"reason\":null,\"changedAt\":\"2026-01-01T00:00:00Z\"}}",
            createdAt, publishedAt is { } published ? published : DBNull.Value);
        return id;
    }

    public async Task InsertInboxRecordAsync(Guid messageId, DateTimeOffset processedAt) =>
        await Db.ExecuteAsync("INSERT INTO inbox_messages (message_id, consumer, type, processed_at) VALUES ($1, 'test.queue', 'OrderCreated', $2)",
            messageId, processedAt);

    public async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        await _infrastructure.DisposeAsync();
    }
}
