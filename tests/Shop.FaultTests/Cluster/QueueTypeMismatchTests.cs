namespace Shop.FaultTests.Cluster;

/// <summary>
/// Apps restarted with RabbitMq:QueueType=quorum on a broker whose queues are classic: they keep running and serving,
/// say which queue differs and which command migrates it, and resume by themselves once it has run.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class QueueTypeMismatchTests(RabbitMqCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Apps_on_queues_of_the_other_type_keep_serving_name_the_queue_and_the_command_and_resume_after_the_migration()
    {
        var system = new ProcessSystem(RabbitMqCluster.Broker(QueueType.Classic));
        try
        {
            await system.InitializeAsync();
            var client = new HonestClient(system.Http);
            var user = Random.Shared.NextInt64(1_000_000, 9_000_000) * 1000;
            Assert.True((await client.SendAsync(HttpMethod.Post, "/payments/account/topup", user, "{\"amount\":1000}", "topup")).Accepted);
            var first = await PlaceOrderAsync(client, user, 100);
            await WaitForStatusAsync(system, first, "PAID");

            // An OrderCreated left waiting in the classic queue while Payments is down; then both apps stop.
            await system.Payments.KillAsync();
            var waiting = await PlaceOrderAsync(client, user, 200);
            await Eventually.UntilAsync(() => system.Management.DepthAsync(system.VirtualHost, ShopTopology.PaymentsOrderCreatedQueue), n => n == 1,
                "the order to wait in the classic queue", Bound, retryProbeErrors: true);
            await system.Orders.KillAsync();

            // Both come back configured for quorum queues: up and answering, with /health naming the problem.
            foreach (var app in new[] { system.Orders, system.Payments })
            {
                app.EnvironmentVariables["RabbitMq__QueueType"] = "quorum";
                await app.StartAsync(healthyStatus: 503);
            }
            var processes = (system.Orders.ProcessId, system.Payments.ProcessId);
            var health = await GetAsync(system.Payments.BaseAddress, "health");
            output.WriteLine($"Payments /health while the queues are classic: {health}");
            var broker = JsonDocument.Parse(health).RootElement.GetProperty("checks").GetProperty("broker").GetString()!;
            Assert.Contains(ShopTopology.DurableQueues, queue => broker.Contains($"'{queue.Name}'", StringComparison.Ordinal));
            Assert.Contains(QueueMismatchCommand, broker, StringComparison.Ordinal);
            Assert.True(system.CountLogLines("does not match the configured queue type", "payments") >= 1, "Payments logged no queue mismatch");

            // Still serving: the order is accepted and waits in the outbox.
            var held = await PlaceOrderAsync(client, user, 300);
            Assert.Equal("PENDING", await StatusAsync(system, held));

            var migration = await Shell.RunAsync(
                $"dotnet '{FaultEnvironment.BuildOutput(Path.Combine("tools", "Shop.Admin"), "Shop.Admin.dll")}' queues migrate --to quorum --broker '{system.BrokerUri}'",
                TimeSpan.FromMinutes(2));
            output.WriteLine($"$ shop-admin queues migrate --to quorum (exit {migration.ExitCode})\n{migration.Output}");
            Assert.Equal(0, migration.ExitCode);

            foreach (var app in new[] { system.Orders, system.Payments })
            {
                await Eventually.UntilAsync(() => StatusCodeAsync(app.BaseAddress, "health"), status => status == 200,
                    $"{app.Name} to report healthy after the migration", Bound, retryProbeErrors: true);
            }
            foreach (var order in new[] { waiting, held })
            {
                await WaitForStatusAsync(system, order, "PAID");
            }
            var types = new List<string>();
            foreach (var queue in ShopTopology.DurableQueues)
            {
                var info = await cluster.QueueAsync(system.VirtualHost, queue.Name);
                types.Add($"{queue.Name}: {info.GetProperty("type").GetString()}");
            }
            output.WriteLine(string.Join(Environment.NewLine, types));
            Assert.All(types, type => Assert.EndsWith(": quorum", type, StringComparison.Ordinal));
            Assert.Equal(600, await system.PaymentsDb.ScalarAsync("SELECT coalesce(sum(amount), 0) FROM transactions WHERE user_id = $1 AND kind = 'charge'", user));
            Assert.Equal(400, await system.PaymentsDb.ScalarAsync("SELECT balance FROM accounts WHERE user_id = $1", user));
            // The same two processes from the restart to the end: no crash, no restart loop.
            Assert.Equal(processes, (system.Orders.ProcessId, system.Payments.ProcessId));
            Assert.True(system.Orders.IsRunning && system.Payments.IsRunning);
            Assert.True(system.CountLogLines("consuming and publishing resume", "payments") >= 1, "Payments never logged that the queues match again");
        }
        finally
        {
            await system.DisposeAsync();
        }
    }

    private const string QueueMismatchCommand = "dotnet run --project tools/Shop.Admin -- queues migrate --to quorum";

    private static async Task<Guid> PlaceOrderAsync(HonestClient client, long user, int amount)
    {
        var answer = await client.SendAsync(HttpMethod.Post, "/orders/orders", user, $"{{\"amount\":{amount}}}", Guid.NewGuid().ToString("N"));
        Assert.True(answer.Accepted, $"POST /orders answered {answer.Status}: {answer.Body}");
        return answer.Json.GetProperty("id").GetGuid();
    }

    private static async Task<string> StatusAsync(ProcessSystem system, Guid order) =>
        (await system.OrdersDb.QueryAsync("SELECT status FROM orders WHERE id = $1", r => r.GetString(0), order)).Single();

    private static Task WaitForStatusAsync(ProcessSystem system, Guid order, string status) =>
        Eventually.UntilAsync(() => StatusAsync(system, order), s => s == status, $"order {order} to be {status}", Bound, retryProbeErrors: true);

    /// <summary>The body, whatever the status (a 503 health report is the point).</summary>
    private static async Task<string> GetAsync(Uri app, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(app, path));
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<int> StatusCodeAsync(Uri app, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(app, path));
        return (int)response.StatusCode;
    }
}
