using Microsoft.Extensions.Logging;

namespace Shop.UnitTests.Messaging;

public sealed class OutboxRelayWorkerTests
{
    private static readonly IOptions<MessagingOptions> Options =
        Microsoft.Extensions.Options.Options.Create(new MessagingOptions { ServiceName = "test", MaxRetryDelay = TimeSpan.FromMilliseconds(50), RelayGrace = TimeSpan.Zero });

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Only a worker that never gets there waits this long.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

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

    [Fact]
    public async Task A_round_that_relays_every_row_waits_for_the_next_signal_before_another()
    {
        var events = new List<string>();
        var signal = new RecordingSignal(events);
        var relay = new Mock<IOutboxRelay>();
        relay.Setup(r => r.DrainAsync(It.IsAny<CancellationToken>())).Returns(() =>
        {
            lock (events)
            {
                events.Add("drain");
            }
            return Task.FromResult(new RelayResult(Published: 3, Failed: 0));
        });
        using var worker = Worker(relay.Object, signal);

        await worker.StartAsync(CancellationToken.None);
        await signal.WaitingAsync(2);
        await worker.StopAsync(CancellationToken.None);

        // The start's own signal, its round, then a wait no one has signalled: no round of its own after a clean one.
        Assert.Equal(["notify", "wait", "drain", "wait"], signal.Events);
    }

    [Fact]
    public async Task Failed_rounds_in_a_row_are_counted_in_the_error_line_until_a_clean_round_resets_the_count()
    {
        var logger = new RecordingLogger<OutboxRelayWorker>();
        var signal = new RecordingSignal([]);
        var second = new TimeoutException("broker did not answer");
        var fourth = new TimeoutException("broker did not answer again");
        var rounds = 0;
        var fifth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var relay = new Mock<IOutboxRelay>();
        relay.Setup(r => r.DrainAsync(It.IsAny<CancellationToken>())).Returns(() => Interlocked.Increment(ref rounds) switch
        {
            1 => Task.FromResult(new RelayResult(Published: 1, Failed: 2)),
            2 => Task.FromException<RelayResult>(second),
            4 => Task.FromException<RelayResult>(fourth),
            var round => Task.FromResult(Finished(round)),
        });
        using var worker = new OutboxRelayWorker(relay.Object, signal, Options, TimeProvider.System, logger);

        RelayResult Finished(int round)
        {
            if (round == 5)
            {
                fifth.TrySetResult();
            }
            return new RelayResult(Published: 1, Failed: 0);
        }

        await worker.StartAsync(CancellationToken.None);
        // Rounds 1 to 3 run on the start's signal and the retries; the clean third waits for a commit's.
        await signal.WaitingAsync(4);
        signal.Notify();
        await fifth.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await worker.StopAsync(CancellationToken.None);

        // A round with unconfirmed rows counts as a failure too: the throw after it is the second in a row.
        Assert.Collection(logger.Entries,
            e => AssertFailedRound(e, second, "2"),
            e => AssertFailedRound(e, fourth, "1"));
    }

    [Fact]
    public async Task A_signal_is_followed_by_a_round_only_once_the_relay_grace_has_passed()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new MessagingOptions { ServiceName = "test", RelayGrace = TimeSpan.FromHours(1) });
        var clock = new TimerRecordingClock(Start);
        var signal = new HeldSignal();
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var relay = new Mock<IOutboxRelay>();
        relay.Setup(r => r.DrainAsync(It.IsAny<CancellationToken>())).Returns(() =>
        {
            drained.TrySetResult();
            return Task.FromResult(new RelayResult(0, 0));
        });
        using var worker = new OutboxRelayWorker(relay.Object, signal, options, clock, NullLogger<OutboxRelayWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        await signal.Waiting.WaitAsync(Hang);
        signal.Release();
        // Past the signal's wait, the worker waits out the grace on the clock: no round a tick before it ends, one at its end.
        Assert.Equal(TimeSpan.FromHours(1), await clock.TimerAsync(1).WaitAsync(Hang));
        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        relay.Verify(r => r.DrainAsync(It.IsAny<CancellationToken>()), Times.Never);
        clock.Advance(TimeSpan.FromTicks(1));
        await drained.Task.WaitAsync(Hang);
        await worker.StopAsync(CancellationToken.None);

        Assert.True(worker.ExecuteTask!.IsCompletedSuccessfully, $"the worker ended {worker.ExecuteTask.Status}");
    }

    [Fact]
    public async Task A_failed_round_is_tried_again_only_once_its_backoff_has_passed()
    {
        var clock = new TimerRecordingClock(Start);
        var rounds = new CountingRelay(new RelayResult(Published: 0, Failed: 1));
        using var worker = new OutboxRelayWorker(rounds.Relay.Object, new OutboxSignal(), Options, clock, NullLogger<OutboxRelayWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        await rounds.WaitForAsync(1).WaitAsync(Hang);
        // The backoff after a first failure: MaxRetryDelay (50 ms here) with up to 20 % jitter either way, on the clock.
        var backoff = await clock.TimerAsync(1).WaitAsync(Hang);
        Assert.InRange(backoff, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(60));
        clock.Advance(backoff - TimeSpan.FromTicks(1));
        rounds.Relay.Verify(r => r.DrainAsync(It.IsAny<CancellationToken>()), Times.Once);
        clock.Advance(TimeSpan.FromTicks(1));
        await rounds.WaitForAsync(2).WaitAsync(Hang);
        await worker.StopAsync(CancellationToken.None);
    }

    private static void AssertFailedRound(LoggedRecord entry, Exception exception, string failures)
    {
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal($"Outbox relay round failed ({failures} in a row); retrying", entry.Message);
        Assert.Equal(failures, entry.Property("Failures"));
        Assert.Same(exception, entry.Exception);
    }

    /// <summary>A real signal that also records, in order, each notification and each wait the worker begins.</summary>
    private sealed class RecordingSignal(List<string> events) : IOutboxSignal
    {
        private readonly OutboxSignal _inner = new();
        private readonly Counter _waits = new();

        public IReadOnlyList<string> Events
        {
            get
            {
                lock (events)
                {
                    return [.. events];
                }
            }
        }

        public void Notify()
        {
            lock (events)
            {
                events.Add("notify");
            }
            _inner.Notify();
        }

        public ValueTask WaitAsync(CancellationToken cancellationToken)
        {
            lock (events)
            {
                events.Add("wait");
            }
            _waits.Increment();
            return _inner.WaitAsync(cancellationToken);
        }

        /// <summary>Completes once the worker has begun its <paramref name="waits"/>th wait.</summary>
        public Task WaitingAsync(int waits) => _waits.ReachedAsync(waits);
    }

    /// <summary>A signal whose first wait ends only when the test releases it.</summary>
    private sealed class HeldSignal : IOutboxSignal
    {
        private readonly TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Waiting => _waiting.Task;

        public void Release() => _released.TrySetResult();

        public void Notify()
        {
        }

        // Not cut short by the stop: once released, the worker goes on past its wait whenever the stop comes.
        public async ValueTask WaitAsync(CancellationToken cancellationToken)
        {
            _waiting.TrySetResult();
            await _released.Task;
        }
    }

    private static OutboxRelayWorker Worker(IOutboxRelay relay, IOutboxSignal signal) =>
        new(relay, signal, Options, TimeProvider.System, NullLogger<OutboxRelayWorker>.Instance);

    /// <summary>A relay mock that answers with the given results (then empty rounds) and reports each round.</summary>
    private sealed class CountingRelay
    {
        private readonly Queue<RelayResult> _results;
        private readonly Counter _rounds = new();

        public CountingRelay(params RelayResult[] results)
        {
            _results = new Queue<RelayResult>(results);
            Relay.Setup(r => r.DrainAsync(It.IsAny<CancellationToken>())).Returns(() =>
            {
                _rounds.Increment();
                lock (_results)
                {
                    return Task.FromResult(_results.Count > 0 ? _results.Dequeue() : new RelayResult(0, 0));
                }
            });
        }

        public Mock<IOutboxRelay> Relay { get; } = new();

        public Task WaitForAsync(int rounds) => _rounds.ReachedAsync(rounds);
    }

    /// <summary>A count the test can await: each waiter completes once the count reaches its number.</summary>
    private sealed class Counter
    {
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
        private int _count;

        public void Increment()
        {
            lock (_waiters)
            {
                _count++;
                foreach (var waiter in _waiters.Where(w => w.Count <= _count))
                {
                    waiter.Reached.TrySetResult();
                }
            }
        }

        public Task ReachedAsync(int count)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiters)
            {
                if (_count >= count)
                {
                    return Task.CompletedTask;
                }
                _waiters.Add((count, reached));
            }
            return reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
