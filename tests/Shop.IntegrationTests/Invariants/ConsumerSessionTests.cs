using Shop.Payments.Extensions;

namespace Shop.IntegrationTests.Invariants;

/// <summary>
/// A consumer's session ends with its channel: when the broker closes the connection, the consumer opens a new one and
/// goes on, and the deliveries it held but had not handled come again on it. The backlog the consumer reports (which
/// Payments' admission control reads) counts only the deliveries that wait in its buffer, and drops the ones the closed
/// channel took with it. Each test queues OrderCreated while Payments is down, then starts a Payments whose first unit of
/// work waits until the test opens its gate, so the rest of the backlog sits in the consumer's buffer.
/// Invariants I7 and I11 of docs/architecture.md.
/// </summary>
public sealed class ConsumerSessionTests(ShopSystem system) : ShopTests, IAsyncLifetime
{
    private const string Queue = ShopTopology.PaymentsOrderCreatedQueue;

    [Fact]
    public async Task A_consumer_whose_connection_the_broker_closes_reconnects_and_its_backlog_counts_only_what_waits_in_its_buffer()
    {
        using var probe = new MessagingProbe();
        var user = await system.NewUserWithBalanceAsync(60);
        var fault = new InboxFault { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var orders = await QueueOrdersWhilePaymentsIsDownAsync(user, count: 6, amount: 10);
        await system.ReplacePaymentsAsync(services =>
        {
            FaultInjection.Inbox<PaymentsDbContext>(fault)(services);
            services.Configure<MessagingOptions>(options =>
            {
                options.BatchSize = 1;
                options.ConsumerConcurrency = 1;
            });
        });
        var backlog = system.Payments.Services.GetRequiredService<ConsumerBacklog>();

        // One delivery is in the held unit of work; the other five wait in the buffer, and the backlog says so.
        await fault.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Eventually.UntilAsync(() => Task.FromResult(backlog.Buffered), n => n == 5, "the five other deliveries counted in the consumer's backlog");
        var closed = (await Eventually.UntilAsync(ConsumerConnectionsAsync, c => c.Count == 1, "the broker to list the consumer's connection"))[0];

        // What a broker restart does: the connection is closed under the consumer (CONNECTION_FORCED).
        await system.Management.CloseConnectionAsync(closed);
        await Eventually.UntilAsync(ConsumerConnectionsAsync, c => c.Count == 1 && c[0] != closed,
            "the consumer to open a new connection", TimeSpan.FromSeconds(30));
        fault.Gate!.SetResult();

        foreach (var order in orders)
        {
            Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order)).Status);
            Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order));
        }
        // Every delivery handled, on the new channel; the five the closed channel held are no longer counted.
        await Eventually.UntilAsync(() => Task.FromResult(backlog.Buffered), n => n == 0, "the consumer's backlog back to zero");
        await probe.WaitForBufferedAsync(Queue, 0);
        Assert.Equal(0, (await system.Client.GetBalanceAsync(user)).Balance);
    }

    [Fact]
    public async Task A_consumer_the_broker_cancels_on_a_channel_it_keeps_open_starts_a_new_session_that_declares_its_queue_again()
    {
        var user = await system.NewUserWithBalanceAsync(10);
        var before = (await Eventually.UntilAsync(ConsumerConnectionsAsync, c => c.Count == 1, "the broker to list the consumer's connection"))[0];

        // Deleting the queue makes the broker cancel its consumer (basic.cancel) and leave the channel open, as it does
        // when it loses track of a consumer; nothing else would ever declare the queue again.
        await system.Management.DeleteQueueAsync(system.VirtualHost, Queue);
        await Eventually.UntilAsync(() => system.Management.ConsumersAsync(system.VirtualHost, Queue), consumers => consumers == 1,
            "the queue declared again and consumed", TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(ConsumerConnectionsAsync, c => c.Count == 1 && c[0] != before,
            "the broker to list the consumer's new connection in place of the old", TimeSpan.FromSeconds(30));

        var order = (await system.Client.PlaceOrderAsync(user, 10)).Id;
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order)).Status);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1", order));
    }

    [Fact]
    public async Task A_batch_that_finishes_while_an_earlier_one_is_still_in_progress_acks_only_its_own_deliveries_and_the_channel_stays_open()
    {
        var user = await system.NewUserWithBalanceAsync(60);
        var holds = new HeldUnits(2);
        var first = Assert.Single(await QueueOrdersWhilePaymentsIsDownAsync(user, count: 1, amount: 10));
        await system.ReplacePaymentsAsync(services =>
        {
            services.AddScoped<IInboxProcessor>(provider =>
                new HeldInboxProcessor(ActivatorUtilities.CreateInstance<InboxProcessor<PaymentsDbContext>>(provider), holds));
            services.Configure<MessagingOptions>(options => options.ConsumerConcurrency = 2);
        });
        var backlog = system.Payments.Services.GetRequiredService<ConsumerBacklog>();

        // Worker 1 holds the first delivery; worker 2 the second; the next three wait in the buffer behind them.
        Assert.Equal(1, await holds.Holding[0].Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var second = (await system.Client.PlaceOrderAsync(user, 10)).Id;
        Assert.Equal(1, await holds.Holding[1].Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var rest = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            rest.Add((await system.Client.PlaceOrderAsync(user, 10)).Id);
        }
        await Eventually.UntilAsync(() => Task.FromResult(backlog.Buffered), n => n == 3, "three deliveries buffered behind the two held");
        var connection = (await Eventually.UntilAsync(ConsumerConnectionsAsync, c => c.Count == 1, "the broker to list the consumer's connection"))[0];

        // Worker 2 finishes its delivery, then takes the three as one batch and finishes it while the first is still held:
        // a multiple-ack of the batch's highest tag would ack the held delivery too, and its own ack then closes the channel.
        holds.Gates[1].SetResult();
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, second)).Status);
        foreach (var order in rest)
        {
            Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order)).Status);
        }
        holds.Gates[0].SetResult();
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, first)).Status);

        // One more order through the same consumer, then its connection is still the one it had: no ack closed its channel.
        var last = (await system.Client.PlaceOrderAsync(user, 10)).Id;
        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, last)).Status);
        Assert.Equal([connection], await ConsumerConnectionsAsync());
        Assert.Equal(0, (await system.Client.GetBalanceAsync(user)).Balance);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The test's Payments had a fault injected; a healthy one takes its place after the test, passed or not.</summary>
    public Task DisposeAsync() => system.ReplacePaymentsAsync();

    /// <summary>The broker's names of the connections Payments' consumer of <see cref="Queue"/> holds.</summary>
    private async Task<List<string>> ConsumerConnectionsAsync() =>
        (await system.Management.ConnectionsAsync(system.VirtualHost))
        .Where(c => c.ClientName == $"{PaymentsExtensions.ServiceName}-consumer-{Queue}").Select(c => c.Name).ToList();

    private async Task<List<Guid>> QueueOrdersWhilePaymentsIsDownAsync(long user, int count, long amount)
    {
        await system.Payments.StopAsync();
        var orders = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            orders.Add((await system.Client.PlaceOrderAsync(user, amount)).Id);
        }
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await Eventually.UntilAsync(() => broker.Channel.MessageCountAsync(Queue), n => n == count, $"{count} OrderCreated waiting in {Queue}");
        return orders;
    }

    /// <summary>Units of work that each wait at their gate, in the order they begin (the first at <c>Gates[0]</c>); later ones run freely.</summary>
    private sealed class HeldUnits(int count)
    {
        private int _begun = -1;

        public TaskCompletionSource[] Gates { get; } =
            [.. Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];

        /// <summary>Set to the size of the unit of work when it begins to wait at its gate.</summary>
        public TaskCompletionSource<int>[] Holding { get; } =
            [.. Enumerable.Range(0, count).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously))];

        public int Begin() => Interlocked.Increment(ref _begun);
    }

    private sealed class HeldInboxProcessor(IInboxProcessor inner, HeldUnits holds) : IInboxProcessor
    {
        public async Task<bool[]> ProcessAsync(IReadOnlyList<InboxItem> items, CancellationToken cancellationToken)
        {
            var unit = holds.Begin();
            if (unit < holds.Gates.Length)
            {
                holds.Holding[unit].TrySetResult(items.Count);
                await holds.Gates[unit].Task.WaitAsync(cancellationToken);
            }
            return await inner.ProcessAsync(items, cancellationToken);
        }
    }
}
