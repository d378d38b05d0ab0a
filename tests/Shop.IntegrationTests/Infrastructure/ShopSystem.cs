using Shop.Hosting;
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
    private readonly RunInfrastructure _infrastructure;
    private readonly SemaphoreSlim _securedGate = new(1, 1);
    private SecuredShop? _secured;

    public ShopSystem()
    {
        _infrastructure = new RunInfrastructure(TestEnvironment.PostgresAdmin, new RabbitMqManagement(new Uri(TestEnvironment.RabbitMqManagement)),
            VirtualHost, OrdersDatabase, PaymentsDatabase);
    }

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];
    public string VirtualHost => $"shop-it-{RunId}";
    public string OrdersDatabase => $"shop_it_{RunId}_orders";
    public string PaymentsDatabase => $"shop_it_{RunId}_payments";
    public RabbitMqManagement Management => _infrastructure.Management;
    public NpgsqlDataSource OrdersDb { get; private set; } = null!;
    public NpgsqlDataSource PaymentsDb { get; private set; } = null!;
    public AppInstance Orders { get; private set; } = null!;
    public AppInstance Payments { get; private set; } = null!;
    public AppInstance Gateway { get; private set; } = null!;
    public ShopClient Client { get; private set; } = null!;

    public string OrdersConnectionString => _infrastructure.ConnectionString(OrdersDatabase, maxPoolSize: 50);
    public string PaymentsConnectionString => _infrastructure.ConnectionString(PaymentsDatabase, maxPoolSize: 50);
    public string BrokerUri => TestEnvironment.RabbitMqUri(VirtualHost);

    /// <summary>A user id no other test has used.</summary>
    public static long NewUserId() => Interlocked.Increment(ref _nextUserId);

    /// <summary>A new user (<see cref="NewUserId"/>) whose account was topped up with <paramref name="balance"/>.</summary>
    public async Task<long> NewUserWithBalanceAsync(long balance)
    {
        var user = NewUserId();
        await Client.TopUpAsync(user, balance);
        return user;
    }

    /// <summary>The id and payload of the order's one outbox row of <paramref name="type"/> in Orders' database.</summary>
    public async Task<(Guid Id, string Payload)> OrdersOutboxRowAsync(Guid orderId, string type)
    {
        var rows = await OrdersDb.QueryAsync("SELECT id, payload::text FROM outbox_messages WHERE correlation_id = $1 AND type = $2",
            reader => (reader.GetGuid(0), reader.GetString(1)), orderId, type);
        return Assert.Single(rows);
    }

    /// <summary>An order of a new user with <paramref name="balance"/>, placed for <paramref name="amount"/> and waited for until PAID.</summary>
    public async Task<(long User, OrderDto Paid)> PlacePaidOrderAsync(long balance, long amount)
    {
        var user = await NewUserWithBalanceAsync(balance);
        var order = await Client.PlaceOrderAsync(user, amount);
        var final = await Client.WaitForFinalStatusAsync(user, order.Id);
        Assert.Equal("PAID", final.Status);
        return (user, final);
    }

    public async Task InitializeAsync()
    {
        await _infrastructure.CreateAsync();
        OrdersDb = NpgsqlDataSource.Create(OrdersConnectionString);
        PaymentsDb = NpgsqlDataSource.Create(PaymentsConnectionString);

        Orders = await StartOrdersAsync(port: FreePort.Next());
        Payments = await StartPaymentsAsync(port: FreePort.Next());
        Gateway = await StartGatewayAsync(Orders.BaseAddress, Payments.BaseAddress);
        Client = new ShopClient(new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>Starts an Orders instance; without <paramref name="port"/> on a free one (another instance beside the first).</summary>
    /// <param name="settings">More command-line settings, e.g. <c>--Functions:HostKey=…</c>.</param>
    public Task<AppInstance> StartOrdersAsync(Action<IServiceCollection>? configure = null, int port = 0, params string[] settings) =>
        StartFunctionAppAsync(typeof(OrdersExtensions).Assembly, b => b.AddOrders(), configure, port,
            [$"--ConnectionStrings:{OrdersExtensions.DatabaseConnectionName}={OrdersConnectionString}", .. settings]);

    public Task<AppInstance> StartPaymentsAsync(Action<IServiceCollection>? configure = null, int port = 0, params string[] settings) =>
        StartFunctionAppAsync(typeof(PaymentsExtensions).Assembly, b => b.AddPayments(), configure, port,
            [$"--ConnectionStrings:{PaymentsExtensions.DatabaseConnectionName}={PaymentsConnectionString}", .. settings]);

    /// <summary>The key every app of this system asks for (as deployed: nobody goes around the gateway) and every gateway sends.</summary>
    public const string FunctionKey = "integration-tests-function-key-0123456789";

    /// <summary>A gateway in Auth:Mode=Jwt (dev tokens on) in front of this system's apps, with a signing key of this run. Started on first use.</summary>
    public async Task<SecuredShop> SecuredAsync()
    {
        await _securedGate.WaitAsync();
        try
        {
            return _secured ??= await SecuredShop.StartAsync(this);
        }
        finally
        {
            _securedGate.Release();
        }
    }

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
            $"--ReverseProxy:Clusters:orders:Metadata:FunctionKey={FunctionKey}",
            $"--ReverseProxy:Clusters:payments:Metadata:FunctionKey={FunctionKey}",
            $"--ConnectionStrings:RabbitMq={BrokerUri}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ]);
        return Track(await AppInstance.StartAsync(app));
    }

    private async Task<AppInstance> StartFunctionAppAsync(
        System.Reflection.Assembly assembly, Action<IHostApplicationBuilder> register, Action<IServiceCollection>? configure, int port, string[] settings)
    {
        string[] args =
        [
            DevelopmentHost.Flag,
            $"--urls=http://127.0.0.1:{port}",
            $"--ConnectionStrings:RabbitMq={BrokerUri}",
            $"--Functions:HostKey={FunctionKey}",
            "--Logging:LogLevel:Default=Warning",
            // The backlog gauges sample often enough for a test to watch the outbox fill and drain.
            "--Messaging:OutboxMetricsInterval=00:00:00.200",
            // One system serves every class, and tests leave orders pending for good (Payments stopped, poison
            // dead-lettered): with the default bound, a busy moment of the suite tightened it to MinBacklog and a test's
            // burst of 50 orders was refused. The tests of admission control (AdmissionTests, ShopPageTests) set their own
            // bound; for the others it is out of the way.
            "--Admission:MaxBacklog=100000",
            "--Admission:MinBacklog=100000",
            .. settings,
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
        await _infrastructure.DisposeAsync();
    }
}
