using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RabbitMQ.Client;
using Shop.Gateway;
using Shop.Hosting;
using Shop.Orders.Extensions;
using Shop.Payments.Extensions;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// The whole system on real PostgreSQL and RabbitMQ: both function apps on the development host and the gateway,
/// with databases and a broker virtual host of their own, so test runs never meet each other or a running system.
/// </summary>
public sealed class ShopSystem : IAsyncLifetime
{
    private static long _nextUserId = Random.Shared.NextInt64(1_000_000, 1_000_000_000) * 1000;
    private readonly List<AppInstance> _apps = [];

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];
    public string VirtualHost => $"shop-it-{RunId}";
    public string OrdersDatabase => $"shop_it_{RunId}_orders";
    public string PaymentsDatabase => $"shop_it_{RunId}_payments";
    public RabbitMqManagement Management { get; } = new();
    public NpgsqlDataSource OrdersDb { get; private set; } = null!;
    public NpgsqlDataSource PaymentsDb { get; private set; } = null!;
    public AppInstance Orders { get; private set; } = null!;
    public AppInstance Payments { get; private set; } = null!;
    public AppInstance Gateway { get; private set; } = null!;
    public ShopClient Client { get; private set; } = null!;

    public string OrdersConnectionString => Database(OrdersDatabase);
    public string PaymentsConnectionString => Database(PaymentsDatabase);
    public string BrokerUri => TestEnvironment.RabbitMqUri(VirtualHost);

    /// <summary>A user id no other test has used.</summary>
    public static long NewUserId() => Interlocked.Increment(ref _nextUserId);

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdmin))
        {
            await admin.OpenAsync();
            foreach (var database in new[] { OrdersDatabase, PaymentsDatabase })
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
                await create.ExecuteNonQueryAsync();
            }
        }
        OrdersDb = NpgsqlDataSource.Create(OrdersConnectionString);
        PaymentsDb = NpgsqlDataSource.Create(PaymentsConnectionString);
        await Management.CreateVirtualHostAsync(VirtualHost);

        Orders = await StartOrdersAsync(port: FreePort());
        Payments = await StartPaymentsAsync(port: FreePort());
        Gateway = await StartGatewayAsync(Orders.BaseAddress, Payments.BaseAddress);
        Client = new ShopClient(new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>Starts an Orders instance; without <paramref name="port"/> on a free one (another instance beside the first).</summary>
    public Task<AppInstance> StartOrdersAsync(Action<IServiceCollection>? configure = null, int port = 0) =>
        StartFunctionAppAsync(typeof(OrdersExtensions).Assembly, b => b.AddOrders(), configure, port,
            $"--ConnectionStrings:{OrdersExtensions.DatabaseConnectionName}={OrdersConnectionString}");

    public Task<AppInstance> StartPaymentsAsync(Action<IServiceCollection>? configure = null, int port = 0) =>
        StartFunctionAppAsync(typeof(PaymentsExtensions).Assembly, b => b.AddPayments(), configure, port,
            $"--ConnectionStrings:{PaymentsExtensions.DatabaseConnectionName}={PaymentsConnectionString}");

    /// <summary>Stops the Payments app the gateway routes to and starts another on its port (e.g. with a fault injected).</summary>
    public async Task ReplacePaymentsAsync(Action<IServiceCollection>? configure = null)
    {
        await Payments.StopAsync();
        Payments = await StartPaymentsAsync(configure, Payments.BaseAddress.Port);
    }

    /// <summary>Stops the Orders app the gateway routes to and starts another on its port.</summary>
    public async Task ReplaceOrdersAsync(Action<IServiceCollection>? configure = null)
    {
        await Orders.StopAsync();
        Orders = await StartOrdersAsync(configure, Orders.BaseAddress.Port);
    }

    /// <param name="settings">More command-line settings, e.g. <c>--Gateway:AllowedOrigins:0=http://127.0.0.1:5000</c>.</param>
    public async Task<AppInstance> StartGatewayAsync(Uri orders, Uri payments, params string[] settings)
    {
        var app = GatewayApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--ReverseProxy:Clusters:orders:Destinations:primary:Address={orders}",
            $"--ReverseProxy:Clusters:payments:Destinations:primary:Address={payments}",
            $"--ConnectionStrings:RabbitMq={BrokerUri}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ]);
        return Track(await AppInstance.StartAsync(app));
    }

    private async Task<AppInstance> StartFunctionAppAsync(
        System.Reflection.Assembly assembly, Action<IHostApplicationBuilder> register, Action<IServiceCollection>? configure, int port, string database)
    {
        string[] args =
        [
            DevelopmentHost.Flag,
            $"--urls=http://127.0.0.1:{port}",
            $"--ConnectionStrings:RabbitMq={BrokerUri}",
            "--Logging:LogLevel:Default=Warning",
            // The backlog gauges sample often enough for a test to watch the outbox fill and drain.
            "--Messaging:OutboxMetricsInterval=00:00:00.200",
            database,
        ];
        var app = DevelopmentHost.Build(args, assembly, builder =>
        {
            register(builder);
            configure?.Invoke(builder.Services);
        });
        return Track(await AppInstance.StartAsync(app));
    }

    private AppInstance Track(AppInstance app)
    {
        lock (_apps)
        {
            _apps.Add(app);
        }
        return app;
    }

    /// <summary>A broker connection into this run's virtual host, for injecting and inspecting messages.</summary>
    public Task<IConnection> ConnectBrokerAsync() =>
        new ConnectionFactory { Uri = new Uri(BrokerUri), ClientProvidedName = "integration-tests" }.CreateConnectionAsync();

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.AsEnumerable().Reverse())
        {
            await app.StopAsync();
        }
        await OrdersDb.DisposeAsync();
        await PaymentsDb.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdmin))
        {
            await admin.OpenAsync();
            foreach (var database in new[] { OrdersDatabase, PaymentsDatabase })
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }
        await Management.DeleteVirtualHostAsync(VirtualHost);
        Management.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Database(string name) =>
        new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdmin) { Database = name, MaxPoolSize = 50 }.ConnectionString;
}
