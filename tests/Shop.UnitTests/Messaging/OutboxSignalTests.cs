namespace Shop.UnitTests.Messaging;

public sealed class OutboxSignalTests
{
    [Fact]
    public async Task Many_notifications_before_the_relay_runs_wake_it_once()
    {
        var signal = new OutboxSignal();
        for (var i = 0; i < 100; i++)
        {
            signal.Notify();
        }

        await signal.WaitAsync(CancellationToken.None);
        var second = signal.WaitAsync(CancellationToken.None).AsTask();

        Assert.False(second.IsCompleted);
        signal.Notify();
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Waiting_ends_when_the_host_stops()
    {
        var signal = new OutboxSignal();
        using var stopping = new CancellationTokenSource();

        var wait = signal.WaitAsync(stopping.Token).AsTask();
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
