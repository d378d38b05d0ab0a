namespace Shop.LoadTest.Load;

/// <summary>
/// Sends the orders. Open model: order i is due at start + i/rate and is sent then, whether or not earlier ones have
/// answered; its latency counts from when it was due, so a stalled sender cannot hide a slow system. Closed model:
/// N clients, each sending its next order when its last one is answered.
/// </summary>
public sealed class LoadDriver(LoadTestOptions options, ShopClient api, OrderBook book, RestWitness rest, RunClock clock, IReadOnlyList<long> users,
    double restShare)
{
    private readonly List<Task> _sends = [];
    private long _next;

    /// <summary>Sends for the run's duration; returns when the last order was sent, and <see cref="WhenAnsweredAsync"/> waits for the answers.</summary>
    public async Task<double> DriveAsync(double startMs, CancellationToken cancellationToken)
    {
        var endMs = startMs + options.Duration.TotalMilliseconds;
        if (options.Concurrency is { } clients)
        {
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => ClientAsync(endMs, cancellationToken)));
            return clock.NowMs;
        }
        var interval = 1000.0 / options.Rate;
        var total = (long)Math.Round(options.Rate * options.Duration.TotalSeconds);
        for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = startMs + i * interval;
            var wait = due - clock.NowMs;
            if (wait >= 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            _sends.Add(PlaceAsync(Interlocked.Increment(ref _next) - 1, due, cancellationToken));
        }
        return clock.NowMs;
    }

    public Task WhenAnsweredAsync() => Task.WhenAll(_sends);

    private async Task ClientAsync(double endMs, CancellationToken cancellationToken)
    {
        while (clock.NowMs < endMs && !cancellationToken.IsCancellationRequested)
        {
            await PlaceAsync(Interlocked.Increment(ref _next) - 1, clock.NowMs, cancellationToken);
        }
    }

    private async Task PlaceAsync(long sequence, double dueMs, CancellationToken cancellationToken)
    {
        var user = users[(int)(sequence % users.Count)];
        book.CountSent();
        var (id, error) = await api.TryPlaceOrderAsync(user, options.Amount, cancellationToken);
        if (error == PlacedOrder.Refused)
        {
            book.Refuse();
            return;
        }
        if (error is not null)
        {
            book.Error(error);
            return;
        }
        var order = book.Accept(id, user, dueMs, clock.NowMs);
        if (Sampled(sequence))
        {
            rest.Watch(order, cancellationToken);
        }
    }

    /// <summary>A share of the orders, spread evenly over the run.</summary>
    private bool Sampled(long sequence) =>
        Math.Floor((sequence + 1) * restShare) > Math.Floor(sequence * restShare);
}
