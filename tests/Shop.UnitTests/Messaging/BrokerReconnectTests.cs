namespace Shop.UnitTests.Messaging;

/// <summary>
/// The consumers' reconnect loop: every session that fails or ends is started again after the pause the backoff gives
/// for the failures in a row, a session that says it is consuming counts them afresh, and a stop ends the loop without
/// a failure of its own.
/// </summary>
public sealed class BrokerReconnectTests
{
    // Only a loop that never ends waits this long.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Failures_in_a_row_are_counted_until_a_session_says_it_is_consuming_and_each_pause_is_asked_for_that_count()
    {
        using var stop = new CancellationTokenSource();
        var first = new IOException("connection refused");
        var second = new IOException("connection refused again");
        var third = new IOException("channel closed by the broker");
        var sessions = new Queue<Func<Action, Task>>(
        [
            _ => Task.FromException(first),
            _ => Task.FromException(second),
            connected =>
            {
                connected();
                return Task.FromException(third);
            },
            _ =>
            {
                stop.Cancel();
                return Task.FromException(new OperationCanceledException(stop.Token));
            },
        ]);
        var failed = new List<(Exception, int)>();
        var pauses = new List<int>();

        await BrokerReconnect.RunAsync((connected, _) => sessions.Dequeue()(connected), (e, n) => failed.Add((e, n)), n =>
        {
            pauses.Add(n);
            return TimeSpan.Zero;
        }, stop.Token).WaitAsync(Hang);

        Assert.Equal([(first, 1), (second, 2), (third, 1)], failed);
        Assert.Equal([1, 2, 1], pauses);
        Assert.Empty(sessions);
    }

    [Fact]
    public async Task A_session_that_ends_without_a_failure_is_started_again_after_the_first_pause()
    {
        using var stop = new CancellationTokenSource();
        var started = 0;
        var pauses = new List<int>();

        await BrokerReconnect.RunAsync((connected, _) =>
        {
            connected();
            if (++started == 3)
            {
                stop.Cancel();
            }
            return Task.CompletedTask;
        }, (e, _) => Assert.Fail($"no failure expected: {e}"), n =>
        {
            pauses.Add(n);
            return TimeSpan.Zero;
        }, stop.Token).WaitAsync(Hang);

        // The third session ended as the stop came: its pause is cut short and no fourth session begins.
        Assert.Equal(3, started);
        Assert.Equal([1, 1, 1], pauses);
    }

    [Fact]
    public async Task A_stop_during_the_pause_ends_the_loop_at_once()
    {
        using var stop = new CancellationTokenSource();
        var started = 0;

        var loop = BrokerReconnect.RunAsync((_, _) =>
        {
            started++;
            return Task.FromException(new IOException("connection refused"));
        }, (_, _) => stop.Cancel(), _ => Timeout.InfiniteTimeSpan, stop.Token);

        await loop.WaitAsync(Hang);
        Assert.Equal(1, started);
    }
}
