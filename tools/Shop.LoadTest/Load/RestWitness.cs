namespace Shop.LoadTest.Load;

/// <summary>
/// The second witness: polls <c>GET /orders/orders/{id}</c> of a sample of orders every poll interval until it
/// reads a final status, as a client without the live push would, only far more often.
/// </summary>
public sealed class RestWitness(ShopClient api, OrderBook book, RunClock clock, TimeSpan interval, TimeSpan timeout)
{
    private readonly List<Task> _polls = [];

    public void Watch(TrackedOrder order, CancellationToken cancellationToken)
    {
        var poll = PollAsync(order, cancellationToken);
        lock (_polls)
        {
            _polls.Add(poll);
        }
    }

    public Task WhenAllAsync()
    {
        lock (_polls)
        {
            return Task.WhenAll(_polls);
        }
    }

    private async Task PollAsync(TrackedOrder order, CancellationToken cancellationToken)
    {
        var deadline = clock.NowMs + timeout.TotalMilliseconds;
        while (!cancellationToken.IsCancellationRequested && clock.NowMs < deadline)
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var status = await api.TryGetStatusAsync(order.UserId, order.Id, cancellationToken);
            if (status is "PAID" or "FAILED")
            {
                book.Polled(order, status, clock.NowMs);
                return;
            }
        }
    }
}
