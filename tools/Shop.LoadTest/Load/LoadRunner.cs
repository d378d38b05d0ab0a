namespace Shop.LoadTest.Load;

/// <summary>
/// One run: prepares the users, connects the witnesses, warms up, drives the load while sampling the system's
/// processes, waits for every order's final status, audits the databases and the broker, and profiles the hops.
/// </summary>
public sealed class LoadRunner(LoadTestOptions options, Action<string> log)
{
    private const int WarmUpOrders = 20;

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        var users = UserRange.ForRun(options.Users);
        var clock = new RunClock();
        var book = new OrderBook();
        var credentials = UserCredentials.For(options);
        using var http = GatewayHttp.Create(options.Gateway);
        var api = new ShopClient(http, credentials);
        var model = options.Concurrency is null ? $"open {options.Rate:0.##}/s" : $"closed, {options.Concurrency} clients";
        log($"[prepare] {model} for {options.Duration.TotalSeconds:0} s, users {users.First + 1}..{users.Last}, gateway {options.Gateway}, identity {credentials.Describe()}");

        await PrepareUsersAsync(api, users, cancellationToken);
        var deadLettersBefore = await DeadLetterDepths.CountAsync(options.RabbitMq, cancellationToken);

        LiveStatusWitness? live = null;
        string? liveProblem = null;
        if (options.SignalR)
        {
            (live, liveProblem) = await LiveStatusWitness.ConnectAsync(options.Gateway, credentials, users.All, book, clock, cancellationToken);
            log(live is null ? $"[prepare] {liveProblem}; REST polling is the only witness" : $"[prepare] {live.Connected} SignalR connections");
        }
        await using var liveScope = live;
        var rest = new RestWitness(api, book, clock, options.PollInterval, options.DrainTimeout);
        (live, liveProblem) = await WarmUpAsync(api, book, rest, clock, users, live, liveProblem, cancellationToken);

        var restShare = live is null ? 1 : options.RestSample;
        await WarmUpUnderLoadAsync(api, book, rest, clock, users, live is not null, cancellationToken);
        var sentBefore = book.Sent;
        var refusedBefore = book.Refused;
        var errorsBefore = book.ErrorsByKind;
        var driver = new LoadDriver(options, api, book, rest, clock, users.LoadUsers, restShare);
        var database = await DatabaseActivity.SnapshotAsync(options, cancellationToken);
        var sampler = ProcessSampler.Start([.. options.SystemPorts, options.Gateway.Port]);
        await using var samplerScope = sampler;
        var finalsBefore = book.Finals;
        var startMs = clock.NowMs;
        using var progress = new CancellationTokenSource();
        var reporter = ReportProgressAsync(book, clock, startMs, sentBefore, progress.Token);
        // Rates count over the schedule's window: answers that come later (slow, or timed out) do not stretch it.
        var loadMs = await driver.DriveAsync(startMs, cancellationToken) - startMs;
        var finalsInWindow = book.Finals - finalsBefore;
        await driver.WhenAnsweredAsync();

        await WaitForWitnessesAsync(book, live is not null, clock, cancellationToken);
        await progress.CancelAsync();
        await reporter;
        await rest.WhenAllAsync();
        var processes = await sampler.StopAsync();
        var databaseWork = (await DatabaseActivity.SnapshotAsync(options, cancellationToken)).Since(database);

        var orders = book.Orders.Where(o => o.IntendedMs >= startMs).ToList();
        log("[audit] waiting for the system to drain, then checking both databases and the dead-letter queues");
        var audit = await new RunAudit(options.OrdersDb, options.PaymentsDb, options.RabbitMq, options.DrainTimeout).RunAsync(users.First, users.Last, [.. book.Orders.Select(o => o.Id)], deadLettersBefore, cancellationToken);
        var hops = await HopProfiler.MeasureAsync(options, users, orders, clock, cancellationToken);

        return new RunResult
        {
            Label = options.Label ?? $"{model}, {options.Duration.TotalSeconds:0} s",
            Model = options.Concurrency is null ? "open" : "closed",
            TargetRate = options.Concurrency is null ? options.Rate : 0,
            Concurrency = options.Concurrency,
            DurationSeconds = loadMs / 1000,
            Users = options.Users,
            FirstUserId = users.First,
            LastUserId = users.Last,
            Gateway = options.Gateway.ToString(),
            StartedAt = clock.StartedAt.AddMilliseconds(startMs),
            Sent = book.Sent - sentBefore,
            Accepted = orders.Count,
            AchievedSendRate = (book.Sent - sentBefore) / (loadMs / 1000),
            CompletedPerSecond = finalsInWindow / (loadMs / 1000),
            ErrorsByKind = book.ErrorsByKind.Select(e => (e.Key, Count: e.Value - errorsBefore.GetValueOrDefault(e.Key)))
                .Where(e => e.Count > 0).ToDictionary(e => e.Key, e => e.Count),
            Refused = book.Refused - refusedBefore,
            Database = databaseWork,
            PostOrder = LatencySummary.Of(orders.Select(o => o.AcceptedMs - o.IntendedMs)),
            FinalViaSignalR = LatencySummary.Of(Pushed(orders, _ => true)),
            PaidViaSignalR = LatencySummary.Of(Pushed(orders, s => s == "PAID")),
            FailedViaSignalR = LatencySummary.Of(Pushed(orders, s => s == "FAILED")),
            FinalViaRest = LatencySummary.Of(orders.Where(o => !double.IsNaN(o.PolledMs)).Select(o => o.PolledMs - o.IntendedMs)),
            PollIntervalMs = options.PollInterval.TotalMilliseconds,
            SignalRUsed = live is not null,
            SignalRProblem = liveProblem,
            MissedPushes = live is null ? 0 : orders.Count(o => o.PushedStatus is null),
            Processes = processes,
            MachineBusyCpuSeconds = sampler.MachineBusySeconds,
            LoadAverages = sampler.LoadAverages,
            Hops = hops,
            Timeline = Charts.Timeline(orders, startMs),
            Histogram = Charts.Histogram(orders),
            Audit = audit,
        };
    }

    private static IEnumerable<double> Pushed(IEnumerable<TrackedOrder> orders, Func<string, bool> status) =>
        orders.Where(o => o.PushedStatus is { } s && status(s)).Select(o => o.PushedMs - o.IntendedMs);

    /// <summary>Tops each user up for <see cref="LoadTestOptions.Coverage"/> of the orders it will place; the warm-up user for all of its.</summary>
    private async Task PrepareUsersAsync(ShopClient api, UserRange users, CancellationToken cancellationToken)
    {
        // The closed model's rate is not known ahead: --rate stands in for it here.
        var expected = options.Rate * options.Duration.TotalSeconds;
        var perUser = Math.Ceiling(expected / options.Users);
        // The warm-up's orders are all covered, so the measured window keeps the coverage asked for.
        var warmUpPerUser = (long)Math.Ceiling(options.Rate * options.WarmUp.TotalSeconds / options.Users);
        var topUp = ((long)Math.Floor(perUser * options.Coverage) + warmUpPerUser) * options.Amount;
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(users.All.Select(async user =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await api.TopUpAsync(user, user == users.WarmUpUser ? WarmUpOrders * options.Amount : Math.Max(topUp, 1), cancellationToken: cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        log(string.Create(CultureInfo.InvariantCulture, $"[prepare] {options.Users} users topped up with {topUp} each (~{perUser * options.Coverage:0} of ~{perUser:0} orders of {options.Amount})"));
    }

    /// <summary>
    /// A few orders before the clock starts: warms every path, and checks the hub really pushes. A hub that takes
    /// connections but pushes nothing leaves REST as the only witness, and the run says so.
    /// </summary>
    private async Task<(LiveStatusWitness?, string?)> WarmUpAsync(ShopClient api, OrderBook book, RestWitness rest, RunClock clock, UserRange users,
        LiveStatusWitness? live, string? liveProblem, CancellationToken cancellationToken)
    {
        var warmUp = new List<TrackedOrder>();
        for (var i = 0; i < WarmUpOrders; i++)
        {
            book.CountSent();
            var due = clock.NowMs;
            var (id, error) = await api.TryPlaceOrderAsync(users.WarmUpUser, options.Amount, cancellationToken);
            for (var retry = 0; error == PlacedOrder.Refused && retry < 10; retry++)
            {
                // A just-started shop may still be finding its pace: a refusal says when to come back, as a client would.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                (id, error) = await api.TryPlaceOrderAsync(users.WarmUpUser, options.Amount, cancellationToken);
            }
            if (error is not null)
            {
                throw new InvalidOperationException($"The warm-up order failed ({error}): is the system up at {options.Gateway}?");
            }
            var order = book.Accept(id, users.WarmUpUser, due, clock.NowMs);
            rest.Watch(order, cancellationToken);
            warmUp.Add(order);
        }
        var deadline = clock.NowMs + 10_000;
        while (clock.NowMs < deadline && warmUp.Any(o => o.FinalStatus is null || (live is not null && o.PushedStatus is null)))
        {
            await Task.Delay(50, cancellationToken);
        }
        if (warmUp.Any(o => o.FinalStatus is null))
        {
            throw new InvalidOperationException($"Warm-up orders did not become final within 10 s: is the whole system up behind {options.Gateway}?");
        }
        if (live is not null && warmUp.Any(o => o.PushedStatus is null))
        {
            await live.DisposeAsync();
            liveProblem = "the hub took the connections but pushed no status within 10 s";
            log($"[warm-up] {liveProblem}; REST polling is the only witness");
            return (null, liveProblem);
        }
        log(string.Create(CultureInfo.InvariantCulture, $"[warm-up] {WarmUpOrders} orders final; median {warmUp.Select(o => o.FinalMs - o.IntendedMs).Order().ElementAt(WarmUpOrders / 2):F1} ms"));
        return (live, liveProblem);
    }

    private async Task WaitForWitnessesAsync(OrderBook book, bool pushes, RunClock clock, CancellationToken cancellationToken)
    {
        var deadline = clock.NowMs + options.DrainTimeout.TotalMilliseconds;
        while (clock.NowMs < deadline && book.Orders.Any(o => pushes ? o.PushedStatus is null : o.FinalStatus is null))
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The run's load for <see cref="LoadTestOptions.WarmUp"/>, unmeasured, then waits until those orders are final.</summary>
    private async Task WarmUpUnderLoadAsync(ShopClient api, OrderBook book, RestWitness rest, RunClock clock, UserRange users, bool pushes,
        CancellationToken cancellationToken)
    {
        if (options.WarmUp <= TimeSpan.Zero || options.Concurrency is not null)
        {
            return;
        }
        var warmUp = new LoadDriver(options.WithRate(options.Rate, options.WarmUp), api, book, rest, clock, users.LoadUsers, restShare: 0);
        await warmUp.DriveAsync(clock.NowMs, cancellationToken);
        await warmUp.WhenAnsweredAsync();
        await WaitForWitnessesAsync(book, pushes, clock, cancellationToken);
        log(string.Create(CultureInfo.InvariantCulture,
            $"[warm-up] {options.WarmUp.TotalSeconds:0} s at {options.Rate:0.##}/s, not measured: {book.Accepted - WarmUpOrders} accepted, {book.Refused} refused, {book.Errors} errors"));
    }

    private async Task ReportProgressAsync(OrderBook book, RunClock clock, double startMs, long sentBefore, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long sent = book.Sent, finals = book.Finals, finalsBefore = book.Finals;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                long nowSent = book.Sent, nowFinals = book.Finals;
                log(string.Create(CultureInfo.InvariantCulture,
                    $"[{(clock.NowMs - startMs) / 1000,5:F0} s] sent {nowSent - sentBefore,7} ({nowSent - sent,5}/s)  final {nowFinals - finalsBefore,7} ({nowFinals - finals,5}/s)  awaiting {book.Accepted - nowFinals,6}  refused {book.Refused}  errors {book.Errors}"));
                (sent, finals) = (nowSent, nowFinals);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }
}
