namespace Shop.UnitTests.Messaging;

public sealed class OutboxRelayWorkerTests
{
    private static readonly IOptions<MessagingOptions> Options =
        Microsoft.Extensions.Options.Options.Create(new MessagingOptions { ServiceName = "test", MaxRetryDelay = TimeSpan.FromMilliseconds(50), RelayGrace = TimeSpan.Zero });

    [Fact]
    public async Task Relay_drains_at_start_and_again_when_a_commit_signals()
    {
        var signal = new OutboxSignal();
        var rounds = new CountingRelay();
        using var worker = Worker(rounds.Relay.Object, signal);

        await worker.StartAsync(CancellationToken.None);
        await rounds.WaitForAsync(1);
        signal.Notify();
        await rounds.WaitForAsync(2);
        await worker.StopAsync(CancellationToken.None);

        rounds.Relay.Verify(r => r.DrainAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Round_with_unconfirmed_rows_is_retried_without_another_commit()
    {
        var rounds = new CountingRelay(new RelayResult(Published: 3, Failed: 2), new RelayResult(Published: 2, Failed: 0));
        using var worker = Worker(rounds.Relay.Object, new OutboxSignal());

        await worker.StartAsync(CancellationToken.None);
        await rounds.WaitForAsync(2);
        await worker.StopAsync(CancellationToken.None);

        rounds.Relay.Verify(r => r.DrainAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Round_that_throws_is_retried_and_the_worker_keeps_running()
    {
        var relay = new Mock<IOutboxRelay>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        relay.SetupSequence(r => r.DrainAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("broker did not answer"))
            .Returns(() =>
            {
                second.TrySetResult();
                return Task.FromResult(new RelayResult(1, 0));
            });
        using var worker = Worker(relay.Object, new OutboxSignal());

        await worker.StartAsync(CancellationToken.None);
        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await worker.StopAsync(CancellationToken.None);

        Assert.False(worker.ExecuteTask!.IsFaulted);
    }

    private static OutboxRelayWorker Worker(IOutboxRelay relay, OutboxSignal signal) => new(relay, signal, Options, NullLogger<OutboxRelayWorker>.Instance);

    /// <summary>A relay mock that answers with the given results (then empty rounds) and reports each round.</summary>
    private sealed class CountingRelay
    {
        private readonly Queue<RelayResult> _results;
        private int _rounds;
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

        public CountingRelay(params RelayResult[] results)
        {
            _results = new Queue<RelayResult>(results);
            Relay.Setup(r => r.DrainAsync(It.IsAny<CancellationToken>())).Returns(() =>
            {
                lock (_waiters)
                {
                    _rounds++;
                    foreach (var waiter in _waiters.Where(w => w.Count <= _rounds))
                    {
                        waiter.Done.TrySetResult();
                    }
                    return Task.FromResult(_results.Count > 0 ? _results.Dequeue() : new RelayResult(0, 0));
                }
            });
        }

        public Mock<IOutboxRelay> Relay { get; } = new();

        public Task WaitForAsync(int rounds)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiters)
            {
                if (_rounds >= rounds)
                {
                    return Task.CompletedTask;
                }
                _waiters.Add((rounds, done));
            }
            return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
