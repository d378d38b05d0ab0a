namespace Shop.FaultTests;

/// <summary>What a client sees while the broker or the database is down, and that the system recovers alone.</summary>
public sealed class OutageTests(ProcessSystem system, ITestOutputHelper output) : IClassFixture<ProcessSystem>
{
    /// <summary>A request still unanswered after this has hung (the gateway's upstream timeout is 30 s): the test fails on it.</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(10);

    private static long _nextUser = Random.Shared.NextInt64(1_000_000, 9_000_000) * 1000;

    [Fact]
    public async Task With_RabbitMQ_down_orders_are_accepted_and_complete_after_the_broker_returns()
    {
        var user = Interlocked.Increment(ref _nextUser);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/payments/account/topup", user, "{\"amount\":1000}")).Status);

        var orderIds = new List<Guid>();
        await Servers.StopBrokerAsync();
        try
        {
            await Eventually.UntilAsync(() => StatusAsync(system.Orders.BaseAddress, "health"), s => s == 503, "Orders to report the broker down", TimeSpan.FromSeconds(30), retryProbeErrors: true);
            for (var i = 0; i < 3; i++)
            {
                var placed = await SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":200}", Guid.NewGuid().ToString("N"));
                Assert.True(placed.Status == HttpStatusCode.Created, $"POST /orders with the broker down answered {(int)placed.Status}: {placed.Body}");
                output.WriteLine($"broker down: POST /orders -> 201 in {placed.Elapsed.TotalMilliseconds:0} ms");
                orderIds.Add(JsonDocument.Parse(placed.Body).RootElement.GetProperty("id").GetGuid());
            }
            foreach (var id in orderIds)
            {
                Assert.Equal("PENDING", await StatusOf(user, id));
            }
        }
        finally
        {
            await Servers.StartBrokerAsync();
        }

        var back = Stopwatch.StartNew();
        foreach (var id in orderIds)
        {
            await Eventually.UntilAsync(() => StatusOf(user, id), s => s == "PAID", $"order {id} to be paid after the broker returned", TimeSpan.FromSeconds(90), retryProbeErrors: true);
        }
        output.WriteLine($"broker back: all {orderIds.Count} orders PAID {back.Elapsed.TotalSeconds:0.0} s after it accepted connections");
        await Eventually.UntilAsync(() => StatusAsync(system.Orders.BaseAddress, "health"), s => s == 200, "Orders health to return to 200", TimeSpan.FromSeconds(60), retryProbeErrors: true);
        await Eventually.UntilAsync(() => StatusAsync(system.Payments.BaseAddress, "health"), s => s == 200, "Payments health to return to 200", TimeSpan.FromSeconds(60), retryProbeErrors: true);
    }

    [Fact]
    public async Task With_PostgreSQL_down_the_APIs_answer_503_problem_details_quickly_and_recover_by_themselves()
    {
        var user = Interlocked.Increment(ref _nextUser);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/payments/account/topup", user, "{\"amount\":1000}")).Status);
        // An order in flight across the outage: its charge waits for the account row this test holds until PostgreSQL stops.
        var hold = await system.PaymentsDb.OpenConnectionAsync();
        var holding = await hold.BeginTransactionAsync();
        await using (var lockAccount = new Npgsql.NpgsqlCommand($"SELECT balance FROM accounts WHERE user_id = {user} FOR UPDATE", hold, holding))
        {
            await lockAccount.ExecuteScalarAsync();
        }
        var existing = await SendAsync(HttpMethod.Post, "/orders/orders", user, "{\"amount\":100}");
        var orderId = JsonDocument.Parse(existing.Body).RootElement.GetProperty("id").GetGuid();
        await Eventually.UntilAsync(
            () => system.PaymentsDb.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"),
            n => n >= 1, $"the charge of order {orderId} to wait for the account row");
        Assert.Equal("PENDING", await StatusOf(user, orderId));
        (HttpMethod Method, string Path, string? Body, HttpStatusCode Success)[] endpoints =
        [
            (HttpMethod.Post, "/orders/orders", "{\"amount\":100}", HttpStatusCode.Created),
            (HttpMethod.Get, "/orders/orders", null, HttpStatusCode.OK),
            (HttpMethod.Get, $"/orders/orders/{orderId}", null, HttpStatusCode.OK),
            (HttpMethod.Post, "/payments/account", null, HttpStatusCode.OK),
            (HttpMethod.Post, "/payments/account/topup", "{\"amount\":100}", HttpStatusCode.OK),
            (HttpMethod.Get, "/payments/account/balance", null, HttpStatusCode.OK),
        ];

        await Servers.StopPostgresAsync();
        try
        {
            // The stop ended the holding session too; closing it may report that (57P01), which is expected here.
            try
            {
                await hold.DisposeAsync();
            }
            catch (Npgsql.NpgsqlException ended)
            {
                output.WriteLine($"holding session ended by the stop: {ended.Message}");
            }
            foreach (var (method, path, body, _) in endpoints)
            {
                var answer = await SendAsync(method, path, user, body, Guid.NewGuid().ToString("N"));
                output.WriteLine($"database down: {method} {path} -> {(int)answer.Status} {answer.ContentType} in {answer.Elapsed.TotalMilliseconds:0} ms");
                Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable, $"{method} {path} with the database down answered {(int)answer.Status}: {answer.Body}");
                Assert.Equal("application/problem+json", answer.ContentType);
                Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(answer.Body).RootElement.GetProperty("detail").GetString()));
            }
            Assert.Equal(503, await StatusAsync(system.Orders.BaseAddress, "health"));
            Assert.Equal(503, await StatusAsync(system.Payments.BaseAddress, "health"));
        }
        finally
        {
            await Servers.StartPostgresAsync();
            system.ClearPools();
        }

        var back = Stopwatch.StartNew();
        foreach (var (method, path, body, success) in endpoints)
        {
            await Eventually.UntilAsync(async () => (await SendAsync(method, path, user, body, Guid.NewGuid().ToString("N"))).Status,
                s => s == success, $"{method} {path} to answer {(int)success} again", TimeSpan.FromSeconds(60), retryProbeErrors: true);
        }
        output.WriteLine($"database back: every endpoint answered normally again after {back.Elapsed.TotalSeconds:0.0} s");
        await Eventually.UntilAsync(() => StatusOf(user, orderId), s => s == "PAID", "the order in flight across the outage to be paid", TimeSpan.FromSeconds(60), retryProbeErrors: true);
    }

    private async Task<string> StatusOf(long user, Guid orderId)
    {
        var answer = await SendAsync(HttpMethod.Get, $"/orders/orders/{orderId}", user, null);
        return answer.Status == HttpStatusCode.OK ? JsonDocument.Parse(answer.Body).RootElement.GetProperty("status").GetString()! : $"HTTP {(int)answer.Status}";
    }

    private async Task<(HttpStatusCode Status, string Body, string? ContentType, TimeSpan Elapsed)> SendAsync(
        HttpMethod method, string path, long user, string? json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-User-ID", user.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        var clock = Stopwatch.StartNew();
        using var hung = new CancellationTokenSource(AnswerBound);
        using var response = await system.Http.SendAsync(request, hung.Token);
        var body = await response.Content.ReadAsStringAsync(hung.Token);
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, clock.Elapsed);
    }

    private static async Task<int> StatusAsync(Uri app, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(app, path));
        return (int)response.StatusCode;
    }
}
