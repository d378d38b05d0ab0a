namespace Shop.FaultTests.Hardening;

/// <summary>Hostile input through the gateway gets a 4xx problem, writes nothing, never hangs, and never stops valid traffic.</summary>
public sealed class HostileRequestTests(ProcessSystem system, ITestOutputHelper output) : IClassFixture<ProcessSystem>
{
    /// <summary>A request still unanswered after this has hung: the test fails on it (a bound on a hang, not a latency target).</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(15);

    public static TheoryData<HostileRequest> Table() => [.. HostileRequest.Table()];

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Hostile_request_is_answered_with_a_4xx_problem_and_writes_nothing(HostileRequest hostile)
    {
        var before = await RowsAsync();
        var clock = Stopwatch.StartNew();
        var (status, contentType, body) = await SendAsync(hostile).WaitAsync(AnswerBound);
        output.WriteLine($"{hostile.Name}: {status} {contentType} in {clock.Elapsed.TotalMilliseconds:0} ms {Shorten(body)}");

        Assert.True(hostile.Expected.Contains(status), $"{hostile.Name}: expected {string.Join(" or ", hostile.Expected)}, got {status} {contentType}: {Shorten(body)}");
        if (!hostile.RejectedByKestrel || contentType.Length > 0)
        {
            Assert.Equal("application/problem+json", contentType.Split(';')[0].Trim());
        }
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task A_burst_of_10000_invalid_requests_is_refused_while_valid_requests_keep_succeeding()
    {
        var user = Random.Shared.NextInt64(1_000_000, 9_000_000) * 1000;
        string[] invalid = ["{\"amount\":", "{\"amount\":-5}", "{\"amount\":1e400}", "[]", "{\"amount\":\"x\"}", "{}"];
        var before = await RowsAsync();
        var statuses = new ConcurrentDictionary<int, int>();
        var slowest = TimeSpan.Zero;
        var notProblem = 0;

        using var stop = new CancellationTokenSource();
        var valid = Task.Run(() => ValidTrafficAsync(user, stop.Token));
        var burst = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, i % 2 == 0 ? "/orders/orders" : "/payments/account/topup");
            request.Headers.Add("X-User-ID", (user + 1 + (i % 50)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Content = new StringContent(invalid[i % invalid.Length], Encoding.UTF8, "application/json");
            var clock = Stopwatch.StartNew();
            using var hung = new CancellationTokenSource(AnswerBound);
            using var response = await system.Http.SendAsync(request, hung.Token);
            await response.Content.ReadAsByteArrayAsync(hung.Token);
            var elapsed = clock.Elapsed;
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                Interlocked.Increment(ref notProblem);
            }
            lock (statuses)
            {
                slowest = elapsed > slowest ? elapsed : slowest;
            }
        });
        var burstTime = burst.Elapsed;
        await stop.CancelAsync();
        var (accepted, failures, slowestValid) = await valid;

        output.WriteLine($"burst of 10000 invalid requests at 64 in flight: {burstTime.TotalSeconds:0.0} s, slowest answer {slowest.TotalMilliseconds:0} ms, " +
            $"statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        output.WriteLine($"valid top-ups during the burst: {accepted} accepted, {failures.Count} failed, slowest {slowestValid.TotalMilliseconds:0} ms");

        Assert.All(statuses.Keys, status => Assert.InRange(status, 400, 499));
        Assert.Equal(10_000, statuses.Values.Sum());
        Assert.Equal(0, notProblem);
        Assert.Empty(failures);
        Assert.True(accepted > 0, "no valid request was answered during the burst");
        Assert.Equal((before.Orders, before.Transactions + accepted, before.Accounts + 1), await RowsAsync());

        // And after it: a valid order goes through end to end.
        using var order = new HttpRequestMessage(HttpMethod.Post, "/orders/orders") { Content = new StringContent("{\"amount\":1}", Encoding.UTF8, "application/json") };
        order.Headers.Add("X-User-ID", user.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var placed = await system.Http.SendAsync(order);
        Assert.Equal(System.Net.HttpStatusCode.Created, placed.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(await placed.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        await Eventually.UntilAsync(() => system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE id = $1 AND status = 'PAID'", id),
            n => n == 1, "the order after the burst to be paid", TimeSpan.FromSeconds(30), retryProbeErrors: true);
    }

    private async Task<(int Accepted, List<string> Failures, TimeSpan Slowest)> ValidTrafficAsync(long user, CancellationToken stop)
    {
        var accepted = 0;
        var failures = new List<string>();
        var slowest = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/account/topup") { Content = new StringContent("{\"amount\":10}", Encoding.UTF8, "application/json") };
            request.Headers.Add("X-User-ID", user.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            var clock = Stopwatch.StartNew();
            using var response = await system.Http.SendAsync(request, CancellationToken.None);
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            if (response.IsSuccessStatusCode)
            {
                accepted++;
            }
            else
            {
                failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            }
            await Task.Delay(50, CancellationToken.None);
        }
        return (accepted, failures, slowest);
    }

    private async Task<(int Status, string ContentType, string Body)> SendAsync(HostileRequest hostile)
    {
        if (hostile.Raw is not null)
        {
            return await RawHttp.SendAsync(system.Gateway.BaseAddress, hostile.Raw, hostile.Body);
        }
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), hostile.Path);
        request.Headers.ExpectContinue = hostile.ExpectContinue ? true : null;
        if (hostile.UserId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-User-ID", hostile.UserId);
        }
        if (hostile.IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", hostile.IdempotencyKey);
        }
        if (hostile.Body is not null)
        {
            request.Content = new ByteArrayContent(hostile.Body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(hostile.ContentType!);
        }
        using var response = await system.Http.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", await response.Content.ReadAsStringAsync());
    }

    private async Task<(long Orders, long Transactions, long Accounts)> RowsAsync() =>
        (await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders"),
         await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions"),
         await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM accounts"));

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
