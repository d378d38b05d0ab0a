using System.Net.Sockets;

namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// What a service's health endpoint reports: each dependency by name, "Healthy" or what failed, and the service healthy
/// only when every one answers. On the real PostgreSQL and RabbitMQ, and on addresses that refuse or never answer.
/// </summary>
public sealed class ServiceHealthTests(MessagingStore store) : IClassFixture<MessagingStore>
{
    [Fact]
    public async Task A_service_whose_database_and_broker_answer_is_healthy_and_says_so_of_each()
    {
        using var host = store.BuildHost(settings: Broker(store.BrokerUri));

        var report = await CheckAsync(host);

        Assert.Equal("Healthy", report.Status);
        Assert.True(report.IsHealthy);
        Assert.Equal(new Dictionary<string, string> { ["database"] = "Healthy", ["broker"] = "Healthy" }, report.Checks);
    }

    [Fact]
    public async Task A_broker_that_refuses_connections_makes_the_service_unhealthy_and_its_check_says_why()
    {
        // The store's hosts connect to port 1, which refuses.
        using var host = store.BuildHost();

        var report = await CheckAsync(host);

        Assert.Equal("Unhealthy", report.Status);
        Assert.Equal("Healthy", report.Checks["database"]);
        Assert.StartsWith("Unhealthy: ", report.Checks["broker"]);
        Assert.True(report.Checks["broker"].Length > "Unhealthy: ".Length, $"the reason is named: {report.Checks["broker"]}");
        Assert.DoesNotContain("no answer within", report.Checks["broker"]);
    }

    [Fact]
    public async Task A_database_that_takes_the_connection_and_never_answers_is_reported_after_the_checks_timeout()
    {
        // Accepted by the kernel's backlog and never read: the client waits for an answer that does not come. Npgsql
        // would give up after its own 10 s, with a message of its own; the check gives up at its 2 s.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var database = new NpgsqlConnectionStringBuilder(store.ConnectionString)
            {
                Host = "127.0.0.1",
                Port = ((IPEndPoint)silent.LocalEndpoint).Port,
                Timeout = 10,
            };
            using var host = store.BuildHost(settings:
            [
                ($"ConnectionStrings:{OrdersExtensions.DatabaseConnectionName}", database.ConnectionString),
                ($"ConnectionStrings:{OrdersExtensions.BrokerConnectionName}", store.BrokerUri),
            ]);

            var report = await CheckAsync(host);

            Assert.Equal("Unhealthy", report.Status);
            Assert.Equal("Unhealthy: no answer within 2 s", report.Checks["database"]);
            Assert.Equal("Healthy", report.Checks["broker"]);
        }
        finally
        {
            silent.Stop();
        }
    }

    private static (string Key, string Value)[] Broker(string uri) => [($"ConnectionStrings:{OrdersExtensions.BrokerConnectionName}", uri)];

    private static async Task<HealthReport> CheckAsync(IHost host) =>
        await host.Services.GetRequiredService<IServiceHealth>().CheckAsync(CancellationToken.None);
}
