using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Shop.UnitTests.Messaging;

public sealed class OutboxDispatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Committed_rows_are_published_and_then_marked_published()
    {
        var harness = new Harness();
        await harness.Worker.StartAsync(CancellationToken.None);
        var rows = new[] { Row(), Row(), Row() };

        harness.Dispatcher.Committed(rows);

        var marked = await harness.MarkedAsync(3);
        await harness.Worker.StopAsync(CancellationToken.None);
        Assert.Equal(rows.Select(r => r.Id), harness.Published.Select(m => m.MessageId));
        Assert.Equal(rows.Select(r => r.Id).Order(), marked.Order());
        Assert.False(harness.RelayWoken());
    }

    [Fact]
    public async Task Row_the_broker_did_not_confirm_is_not_marked_and_wakes_the_relay()
    {
        var refused = Row();
        var harness = new Harness(message => message.MessageId == refused.Id ? new IOException("nack") : null);
        await harness.Worker.StartAsync(CancellationToken.None);
        var accepted = Row();

        harness.Dispatcher.Committed([refused, accepted]);

        var marked = await harness.MarkedAsync(1);
        await harness.Worker.StopAsync(CancellationToken.None);
        Assert.Equal([accepted.Id], marked);
        Assert.True(harness.RelayWoken());
    }

    [Fact]
    public async Task Rows_a_failed_mark_left_unmarked_do_not_stop_later_rows()
    {
        var harness = new Harness(failFirstMark: true);
        await harness.Worker.StartAsync(CancellationToken.None);

        harness.Dispatcher.Committed([Row()]);
        await harness.MarkAttemptsAsync(1);
        var later = Row();
        harness.Dispatcher.Committed([later]);

        var marked = await harness.MarkedAsync(1);
        await harness.Worker.StopAsync(CancellationToken.None);
        Assert.Equal([later.Id], marked);
    }

    [Fact]
    public async Task A_row_waiting_for_its_confirm_does_not_hold_up_rows_committed_after_it()
    {
        var slow = Row();
        var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var harness = new Harness(awaitConfirm: message => message.MessageId == slow.Id ? confirm.Task : null);
        await harness.Worker.StartAsync(CancellationToken.None);
        var later = Row();

        harness.Dispatcher.Committed([slow]);
        await harness.PublishedAsync(1);
        harness.Dispatcher.Committed([later]);

        Assert.Equal([later.Id], await harness.MarkedAsync(1));
        confirm.SetResult();
        var marked = await harness.MarkedAsync(2);
        await harness.Worker.StopAsync(CancellationToken.None);
        Assert.Equal([later.Id, slow.Id], marked);
    }

    [Fact]
    public async Task Stopping_waits_for_a_confirm_still_in_flight_and_marks_its_row()
    {
        var row = Row();
        var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var harness = new Harness(awaitConfirm: message => message.MessageId == row.Id ? confirm.Task : null);
        await harness.Worker.StartAsync(CancellationToken.None);
        harness.Dispatcher.Committed([row]);
        await harness.PublishedAsync(1);

        var stopping = harness.Worker.StopAsync(CancellationToken.None);
        // Give a stop that did not wait for the confirm the time to finish first (with the wait, it cannot).
        await Task.WhenAny(stopping, Task.Delay(200));
        confirm.SetResult();
        await stopping;

        Assert.Equal([row.Id], harness.Marked);
    }

    [Fact]
    public async Task Stopping_waits_for_the_last_mark_to_finish()
    {
        var harness = new Harness(markLatency: TimeSpan.FromMilliseconds(200));
        await harness.Worker.StartAsync(CancellationToken.None);
        var row = Row();
        harness.Dispatcher.Committed([row]);
        await harness.MarkAttemptsAsync(1);

        await harness.Worker.StopAsync(CancellationToken.None);

        Assert.Equal([row.Id], harness.Marked);
    }

    [Fact]
    public async Task Rows_confirmed_within_the_mark_delay_are_marked_by_one_statement()
    {
        var clock = new FakeTimeProvider();
        var harness = new Harness(markDelay: TimeSpan.FromMilliseconds(20), clock: clock);
        await harness.Worker.StartAsync(CancellationToken.None);
        var first = Row();
        var second = Row();

        harness.Dispatcher.Committed([first]);
        await harness.AwaitingMarkAsync(1);
        harness.Dispatcher.Committed([second]);
        await harness.AwaitingMarkAsync(2);
        Assert.Equal(0, harness.MarkAttempts);

        // The clock moves until the mark comes: the mark loop may start its delay only after a first move.
        var marked = await harness.MarkedAsync(2, whileWaiting: () => clock.Advance(TimeSpan.FromMilliseconds(20)));
        await harness.Worker.StopAsync(CancellationToken.None);
        Assert.Equal([first.Id, second.Id], marked);
        Assert.Equal(1, harness.MarkAttempts);
    }

    [Fact]
    public async Task Stopping_cuts_the_mark_delay_short_and_marks_the_rows_confirmed_so_far()
    {
        // A clock that is never moved: only the stop can end the delay.
        var harness = new Harness(markDelay: TimeSpan.FromMilliseconds(20), clock: new FakeTimeProvider());
        await harness.Worker.StartAsync(CancellationToken.None);
        var row = Row();
        harness.Dispatcher.Committed([row]);
        await harness.AwaitingMarkAsync(1);

        using var patience = new CancellationTokenSource(Timeout);
        await harness.Worker.StopAsync(patience.Token);

        Assert.Equal([row.Id], harness.Marked);
    }

    [Fact]
    public void Without_a_running_worker_a_commit_only_wakes_the_relay()
    {
        var harness = new Harness();

        harness.Dispatcher.Committed([Row()]);

        Assert.True(harness.RelayWoken());
        Assert.False(harness.Dispatcher.Reader.TryRead(out _));
    }

    [Fact]
    public async Task With_dispatch_on_commit_off_a_commit_only_wakes_the_relay()
    {
        var harness = new Harness(dispatchOnCommit: false);
        await harness.Worker.StartAsync(CancellationToken.None);

        harness.Dispatcher.Committed([Row()]);

        Assert.True(harness.RelayWoken());
        await harness.Worker.StopAsync(CancellationToken.None);
        Assert.Empty(harness.Published);
    }

    [Fact]
    public async Task At_most_DispatchBatchesInFlight_batches_await_their_confirms_and_a_freed_slot_takes_the_next_RelayBatchSize_rows()
    {
        var confirms = new ConcurrentDictionary<Guid, TaskCompletionSource>();
        var harness = new Harness(awaitConfirm: message => confirms.GetOrAdd(message.MessageId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task,
            relayBatchSize: 2);
        await harness.Worker.StartAsync(CancellationToken.None);

        // One row a batch until every slot holds a batch awaiting its confirm.
        var first = new List<OutboxMessage>();
        for (var i = 0; i < MessagingOptions.DispatchBatchesInFlight; i++)
        {
            first.Add(Row());
            harness.Dispatcher.Committed([first[^1]]);
            await harness.PublishedAsync(i + 1);
        }
        var waiting = new[] { Row(), Row(), Row() };
        harness.Dispatcher.Committed(waiting);
        Assert.Equal(waiting.Length, harness.Dispatcher.Reader.Count);

        // One confirm frees one slot: the next batch is the next RelayBatchSize rows, and only those.
        confirms[first[0].Id].SetResult();
        await harness.PublishedAsync(MessagingOptions.DispatchBatchesInFlight + 2);
        Assert.Equal(1, harness.Dispatcher.Reader.Count);
        foreach (var row in first.Skip(1).Concat(waiting.Take(2)))
        {
            confirms[row.Id].SetResult();
        }
        await harness.PublishedAsync(MessagingOptions.DispatchBatchesInFlight + waiting.Length);
        confirms[waiting[2].Id].SetResult();

        var marked = await harness.MarkedAsync(MessagingOptions.DispatchBatchesInFlight + waiting.Length);
        await harness.Worker.StopAsync(CancellationToken.None);
        Assert.Equal(first.Concat(waiting).Select(r => r.Id).Order(), marked.Order());
        // Batches, each opened with one ConnectAsync: the first rows one by one, then two, then the last.
        Assert.Equal(MessagingOptions.DispatchBatchesInFlight + 2, harness.Batches);
    }

    [Fact]
    public async Task Rows_keep_going_out_after_more_batches_than_DispatchBatchesInFlight_were_confirmed()
    {
        var harness = new Harness();
        await harness.Worker.StartAsync(CancellationToken.None);
        var rows = new List<OutboxMessage>();

        for (var i = 0; i < MessagingOptions.DispatchBatchesInFlight + 2; i++)
        {
            rows.Add(Row());
            harness.Dispatcher.Committed([rows[^1]]);
            await harness.MarkedAsync(i + 1);
        }

        await harness.Worker.StopAsync(CancellationToken.None);
        Assert.Equal(rows.Select(r => r.Id), harness.Published.Select(m => m.MessageId));
    }

    [Fact]
    public async Task Once_the_worker_has_stopped_a_commit_wakes_the_relay_instead_of_queueing()
    {
        var harness = new Harness();
        await harness.Worker.StartAsync(CancellationToken.None);
        harness.Dispatcher.Committed([Row()]);
        await harness.MarkedAsync(1);
        await harness.Worker.StopAsync(CancellationToken.None);
        Assert.False(harness.RelayWoken());

        harness.Dispatcher.Committed([Row()]);

        Assert.True(harness.RelayWoken());
        Assert.Equal(0, harness.Dispatcher.Reader.Count);
        Assert.Single(harness.Published);
    }

    [Fact]
    public void A_commit_the_full_queue_cannot_take_wakes_the_relay()
    {
        var harness = new Harness();
        harness.Dispatcher.Attach();
        harness.Dispatcher.Committed([.. Enumerable.Range(0, OutboxDispatchQueue.Capacity).Select(_ => Row())]);
        Assert.False(harness.RelayWoken());

        harness.Dispatcher.Committed([Row()]);

        Assert.True(harness.RelayWoken());
        Assert.Equal(OutboxDispatchQueue.Capacity, harness.Dispatcher.Reader.Count);
    }

    internal static OutboxMessage Row() => new()
    {
        Id = Guid.CreateVersion7(),
        Type = "OrderCreated",
        Exchange = "shop.orders",
        RoutingKey = "order.created",
        Payload = "{}",
        CorrelationId = Guid.NewGuid(),
        CreatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>The worker with a publisher and marker it owns the seams of; the relay signal is the real one.</summary>
    internal sealed class Harness
    {
        private readonly ConcurrentQueue<Guid> _marked = new();
        private int _markAttempts;
        private int _batches;

        public Harness(Func<OutgoingMessage, Exception?>? refuse = null, bool failFirstMark = false, bool dispatchOnCommit = true,
            Func<OutgoingMessage, Task?>? awaitConfirm = null, int relayBatchSize = 200, TimeSpan markLatency = default,
            TimeSpan? markDelay = null, TimeProvider? clock = null, string service = "test", ILogger<OutboxDispatchWorker>? logger = null)
        {
            var settings = new MessagingOptions { ServiceName = service, DispatchOnCommit = dispatchOnCommit, RelayBatchSize = relayBatchSize };
            settings.MarkDelay = markDelay ?? settings.MarkDelay;
            var options = Options.Create(settings);
            Dispatcher = new OutboxDispatchQueue(Signal, options);
            var publisher = new Mock<IMessagePublisher>();
            // Every batch opens the channel once before it publishes its rows.
            publisher.Setup(p => p.ConnectAsync(It.IsAny<CancellationToken>()))
                .Returns(() =>
                {
                    Interlocked.Increment(ref _batches);
                    return ValueTask.CompletedTask;
                });
            publisher.Setup(p => p.PublishAsync(It.IsAny<OutgoingMessage>(), It.IsAny<CancellationToken>()))
                .Returns((OutgoingMessage message, CancellationToken _) =>
                {
                    Published.Enqueue(message);
                    if (awaitConfirm?.Invoke(message) is { } confirmed)
                    {
                        return confirmed;
                    }
                    return refuse?.Invoke(message) is { } error ? Task.FromException(error) : Task.CompletedTask;
                });
            var marker = new Mock<IOutboxMarker>();
            marker.Setup(m => m.MarkPublishedAsync(It.IsAny<IReadOnlyList<(Guid, DateTimeOffset)>>(), It.IsAny<CancellationToken>()))
                .Returns(async (IReadOnlyList<(Guid Id, DateTimeOffset ConfirmedAt)> rows, CancellationToken cancellationToken) =>
                {
                    // As the database call would: a cancelled token fails the mark before it starts.
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Interlocked.Increment(ref _markAttempts) == 1 && failFirstMark)
                    {
                        throw new TimeoutException("database did not answer");
                    }
                    if (markLatency > TimeSpan.Zero)
                    {
                        // A database that takes its time; the worker's token is not passed on, as a statement under way finishes.
                        await Task.Delay(markLatency, CancellationToken.None);
                    }
                    foreach (var row in rows)
                    {
                        _marked.Enqueue(row.Id);
                    }
                });
            Worker = new OutboxDispatchWorker(Dispatcher, publisher.Object, marker.Object, Signal, ShopEvents.Contract, options, clock ?? TimeProvider.System,
                logger ?? NullLogger<OutboxDispatchWorker>.Instance);
        }

        public OutboxSignal Signal { get; } = new();
        public OutboxDispatchQueue Dispatcher { get; }
        public OutboxDispatchWorker Worker { get; }
        public ConcurrentQueue<OutgoingMessage> Published { get; } = new();

        public int Batches => Volatile.Read(ref _batches);

        /// <summary>The rows marked so far, in the order the marks finished.</summary>
        public List<Guid> Marked => [.. _marked];

        /// <summary>Whether a wake-up is pending; the probe's own wait is cancelled so it takes none that comes later.</summary>
        public bool RelayWoken()
        {
            using var probe = new CancellationTokenSource();
            var wait = Signal.WaitAsync(probe.Token).AsTask();
            var woken = wait.IsCompletedSuccessfully;
            probe.Cancel();
            return woken;
        }

        public async Task<List<Guid>> MarkedAsync(int count, Action? whileWaiting = null)
        {
            await WaitUntilAsync(() => _marked.Count >= count, () => $"expected {count} rows marked, got {_marked.Count}", whileWaiting);
            return [.. _marked];
        }

        public Task PublishedAsync(int count) =>
            WaitUntilAsync(() => Published.Count >= count, () => $"expected {count} rows published, got {Published.Count}");

        public int MarkAttempts => Volatile.Read(ref _markAttempts);

        /// <summary>Waits until exactly this many confirmed rows wait for their mark.</summary>
        public Task AwaitingMarkAsync(int count) =>
            WaitUntilAsync(() => Worker.AwaitingMark == count, () => $"expected {count} confirmed rows awaiting their mark, got {Worker.AwaitingMark}");

        public Task MarkAttemptsAsync(int count, Action? whileWaiting = null) =>
            WaitUntilAsync(() => Volatile.Read(ref _markAttempts) >= count, () => $"expected {count} mark attempts", whileWaiting);

        /// <summary>Polls the condition until it holds or <see cref="Timeout"/> passes, then asserts it.</summary>
        private static async Task WaitUntilAsync(Func<bool> done, Func<string> failure, Action? whileWaiting = null)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (!done() && DateTime.UtcNow < deadline)
            {
                whileWaiting?.Invoke();
                await Task.Delay(5);
            }
            Assert.True(done(), failure());
        }
    }
}
