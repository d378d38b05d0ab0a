namespace Shop.FaultTests.Infrastructure;

/// <summary>
/// The whole shop as real processes — Orders and Payments on the development host, the gateway in front — on
/// databases and a broker virtual host of its own, so a run never meets another run or a running system.
/// </summary>
public sealed class ProcessSystem : IAsyncLifetime
{
    private readonly List<AppProcess> _processes = [];
    private readonly RunInfrastructure _infrastructure;

    public ProcessSystem()
        : this(BrokerSetup.SingleNode)
    {
    }

    internal ProcessSystem(BrokerSetup broker)
    {
        Broker = broker;
        var management = new RabbitMqManagement(broker.Management, timeout: TimeSpan.FromSeconds(10));
        _infrastructure = new RunInfrastructure(FaultEnvironment.PostgresAdmin, management, VirtualHost, OrdersDatabase, PaymentsDatabase);
    }

    public BrokerSetup Broker { get; }

    public string RunId { get; } = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];
    public string VirtualHost => $"shop-fault-{RunId}";
    public string OrdersDatabase => $"shop_fault_{RunId}_orders";
    public string PaymentsDatabase => $"shop_fault_{RunId}_payments";
    public string BrokerUri => Broker.Uri(VirtualHost);
    public string LogDirectory => Path.Combine(FaultEnvironment.Artifacts, "fault-logs", RunId);

    public RabbitMqManagement Management => _infrastructure.Management;
    public NpgsqlDataSource OrdersDb { get; private set; } = null!;
    public NpgsqlDataSource PaymentsDb { get; private set; } = null!;
    public AppProcess Orders { get; private set; } = null!;
    public AppProcess Payments { get; private set; } = null!;
    public AppProcess Gateway { get; private set; } = null!;
    public AppProcess? SecondOrders { get; private set; }
    public AppProcess? SecondPayments { get; private set; }

    /// <summary>A client of the gateway whose timeout stands for the user's patience.</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // A run that failed mid-fault may have left a server down.
        await Servers.EnsurePostgresUpAsync();
        if (Broker.IsSingleNode)
        {
            await Servers.EnsureBrokerUpAsync();
        }
        Directory.CreateDirectory(LogDirectory);
        await _infrastructure.CreateAsync();
        OrdersDb = NpgsqlDataSource.Create(_infrastructure.ConnectionString(OrdersDatabase, maxPoolSize: 20));
        PaymentsDb = NpgsqlDataSource.Create(_infrastructure.ConnectionString(PaymentsDatabase, maxPoolSize: 20));

        Orders = await StartOrdersAsync("orders", FreePort.Next());
        Payments = await StartPaymentsAsync("payments", FreePort.Next());
        var gatewayDirectory = Path.GetDirectoryName(FaultEnvironment.BuildOutput("gateway-proxy", "Shop.Gateway.dll"))!;
        var gatewayPort = FreePort.Next();
        Gateway = Track(new AppProcess("gateway", FaultEnvironment.BuildOutput("gateway-proxy", "Shop.Gateway.dll"), gatewayPort,
        [
            "--contentRoot", gatewayDirectory,
            "--urls", $"http://127.0.0.1:{gatewayPort}",
            $"--ReverseProxy:Clusters:orders:Destinations:primary:Address={Orders.BaseAddress}",
            $"--ReverseProxy:Clusters:payments:Destinations:primary:Address={Payments.BaseAddress}",
            $"--ConnectionStrings:RabbitMq={BrokerUri}",
            .. EndpointArguments(),
        ], LogDirectory));
        await Gateway.StartAsync();
        Http = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>Waits until no outbox row is left unpublished and both consumer queues are empty.</summary>
    public Task WaitForDrainAsync(SystemAudit audit, TimeSpan bound) =>
        Eventually.UntilAsync(
            async () => await audit.BacklogAsync()
                + await Management.DepthAsync(VirtualHost, ShopTopology.PaymentsOrderCreatedQueue)
                + await Management.DepthAsync(VirtualHost, ShopTopology.OrdersPaymentResultsQueue),
            backlog => backlog == 0, "the system to drain after the stream", bound, retryProbeErrors: true);

    /// <summary>Starts a second Orders and Payments process beside the first: they consume and relay, the gateway keeps its routes.</summary>
    public async Task StartSecondInstancesAsync()
    {
        SecondOrders ??= await StartOrdersAsync("orders-2", FreePort.Next());
        SecondPayments ??= await StartPaymentsAsync("payments-2", FreePort.Next());
    }

    public async Task KillSecondInstancesAsync()
    {
        foreach (var app in new[] { SecondOrders, SecondPayments })
        {
            if (app is not null)
            {
                await app.KillAsync();
            }
        }
    }

    private Task<AppProcess> StartOrdersAsync(string name, int port) =>
        StartFunctionAppAsync(name, port, "functions-orders", "Shop.Orders.dll", $"--ConnectionStrings:Orders={_infrastructure.ConnectionString(OrdersDatabase, maxPoolSize: 30)}");

    private Task<AppProcess> StartPaymentsAsync(string name, int port) =>
        StartFunctionAppAsync(name, port, "functions-payments", "Shop.Payments.dll", $"--ConnectionStrings:Payments={_infrastructure.ConnectionString(PaymentsDatabase, maxPoolSize: 30)}");

    private async Task<AppProcess> StartFunctionAppAsync(string name, int port, string project, string assembly, string database)
    {
        var app = Track(new AppProcess(name, FaultEnvironment.BuildOutput(project, assembly), port, FunctionAppArguments(port, database), LogDirectory));
        SetQueueType(app);
        await app.StartAsync();
        return app;
    }

    private string[] FunctionAppArguments(int port, string database) =>
    [
        "--dev-host",
        "--urls", $"http://127.0.0.1:{port}",
        database,
        $"--ConnectionStrings:RabbitMq={BrokerUri}",
        .. EndpointArguments(),
        "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
        "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        "--Logging:LogLevel:System.Net.Http.HttpClient=Warning",
    ];

    private string[] EndpointArguments() => Broker.Endpoints is { } endpoints ? [$"--RabbitMq:Endpoints={endpoints}"] : [];

    /// <summary>Through the environment, not the command line, so a test can restart an app with the other type.</summary>
    private void SetQueueType(AppProcess app)
    {
        if (Broker.QueueType is { } type)
        {
            app.EnvironmentVariables["RabbitMq__QueueType"] = type.ToString().ToLowerInvariant();
        }
    }

    private AppProcess Track(AppProcess app)
    {
        _processes.Add(app);
        return app;
    }

    /// <summary>Drops the test's own pooled connections, which a database restart has broken.</summary>
    public void ClearPools()
    {
        OrdersDb.Clear();
        PaymentsDb.Clear();
    }

    /// <summary>Every log line of every process of this run that contains <paramref name="text"/>.</summary>
    public int CountLogLines(string text, string? processPrefix = null)
    {
        var count = 0;
        foreach (var app in _processes.Where(p => processPrefix is null || p.Name.StartsWith(processPrefix, StringComparison.Ordinal)).DistinctBy(p => p.LogFile))
        {
            if (!File.Exists(app.LogFile))
            {
                continue;
            }
            using var stream = new FileStream(app.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    count++;
                }
            }
        }
        return count;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var app in Enumerable.Reverse(_processes))
        {
            await app.DisposeAsync();
        }
        await Servers.EnsurePostgresUpAsync();
        if (Broker.IsSingleNode)
        {
            await Servers.EnsureBrokerUpAsync();
        }
        if (OrdersDb is not null)
        {
            await OrdersDb.DisposeAsync();
            await PaymentsDb.DisposeAsync();
        }
        await _infrastructure.DisposeAsync();
    }
}
