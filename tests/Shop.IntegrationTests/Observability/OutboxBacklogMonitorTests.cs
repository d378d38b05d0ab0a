namespace Shop.IntegrationTests.Observability;

/// <summary>
/// The outbox backlog gauges as the README's Observability section documents them, on a database of its own
/// (<see cref="MessagingStore"/>) and a clock the test moves: <c>shop.messaging.outbox.backlog</c> counts the rows not yet
/// published and <c>shop.messaging.outbox.oldest_age</c> is the age of the oldest of them on the app's clock, both
/// tagged with the service and sampled once per <c>Messaging:OutboxMetricsInterval</c>; while the outbox cannot be read
/// they report nothing, not zero. Each test gives the app a service name of its own, so the gauges of the apps of other
/// tests are not read.
/// </summary>
public sealed class OutboxBacklogMonitorTests(MessagingStore store) : IClassFixture<MessagingStore>, IAsyncLifetime, IDisposable
{
    private const string MonitorCategory = "Shop.Messaging.Outbox.OutboxBacklogMonitor";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly string _service = $"backlog-{Guid.NewGuid():N}";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MetricsRecorder _metrics = new();
    private readonly LogRecorder _logs = new();

    public Task InitializeAsync() => store.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task The_gauges_count_the_unpublished_rows_at_each_sample_and_age_the_oldest_on_the_clock()
    {
        var now = _clock.GetUtcNow();
        var oldest = await store.InsertOutboxRowAsync(now - TimeSpan.FromSeconds(90));
        await store.InsertOutboxRowAsync(now - TimeSpan.FromSeconds(30));
        // Published rows are no backlog, however old.
        await store.InsertOutboxRowAsync(now - TimeSpan.FromHours(1), publishedAt: now - TimeSpan.FromMinutes(59));
        using var host = BuildHost();

        await RunMonitorAsync(host, async () =>
        {
            await WaitForBacklogAsync(2, "the first sample, taken at start");
            Assert.Equal(90, Observe(MessagingMetrics.OutboxOldestAgeName));

            // The age is the clock's at each collection; the count changes only at the next sample.
            _clock.Advance(TimeSpan.FromSeconds(2));
            await store.Db.ExecuteAsync("UPDATE outbox_messages SET published_at = $2 WHERE id = $1", oldest, _clock.GetUtcNow());
            Assert.Equal(92, Observe(MessagingMetrics.OutboxOldestAgeName));
            Assert.Equal(2, Observe(MessagingMetrics.OutboxBacklogName));

            _clock.Advance(Interval);
            await WaitForBacklogAsync(1, "the next sample, after the oldest row was published");
            Assert.Equal(37, Observe(MessagingMetrics.OutboxOldestAgeName));

            await store.Db.ExecuteAsync("UPDATE outbox_messages SET published_at = $1 WHERE published_at IS NULL", _clock.GetUtcNow());
            _clock.Advance(Interval);
            await WaitForBacklogAsync(0, "an empty backlog");
            Assert.Equal(0, Observe(MessagingMetrics.OutboxOldestAgeName));
        });
    }

    [Fact]
    public async Task While_the_outbox_cannot_be_read_the_gauges_report_nothing_and_the_next_sample_that_can_brings_them_back()
    {
        await store.InsertOutboxRowAsync(_clock.GetUtcNow() - TimeSpan.FromSeconds(10));
        using var host = BuildHost();

        await RunMonitorAsync(host, async () =>
        {
            await WaitForBacklogAsync(1, "the first sample");
            // The table out of the way (this database is the test class's own): the next sample fails.
            await store.Db.ExecuteAsync("ALTER TABLE outbox_messages RENAME TO outbox_messages_away");
            try
            {
                _clock.Advance(Interval);
                var failed = await Eventually.UntilAsync(() => Task.FromResult(MonitorLogs()), logs => logs.Count > 0, "the failed sample's line");
                Assert.Equal(LogLevel.Debug, failed[0].Level);
                Assert.Equal("Could not sample the outbox backlog", failed[0].Message);
                Assert.NotNull(failed[0].Exception);
                // Unknown, not zero: the last sample's values are dropped.
                Assert.Null(Observe(MessagingMetrics.OutboxBacklogName));
                Assert.Null(Observe(MessagingMetrics.OutboxOldestAgeName));
            }
            finally
            {
                await store.Db.ExecuteAsync("ALTER TABLE outbox_messages_away RENAME TO outbox_messages");
            }

            _clock.Advance(Interval);
            await WaitForBacklogAsync(1, "a sample again, once the outbox can be read");
            Assert.Equal(20, Observe(MessagingMetrics.OutboxOldestAgeName));
        });
    }

    /// <summary>Runs <paramref name="test"/> while the host's backlog monitor runs, then stops it and checks it ended cleanly.</summary>
    private static async Task RunMonitorAsync(IHost host, Func<Task> test)
    {
        var monitor = Monitor(host);
        await monitor.StartAsync(CancellationToken.None);
        try
        {
            await test();
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
        Assert.True(monitor.ExecuteTask!.IsCompletedSuccessfully, $"the monitor ended {monitor.ExecuteTask.Status}");
    }

    private double? Observe(string gauge) => _metrics.Observe(gauge, $"service={_service}");

    private Task WaitForBacklogAsync(double rows, string what) =>
        Eventually.UntilAsync(() => Task.FromResult(Observe(MessagingMetrics.OutboxBacklogName)), v => v == rows, what);

    private List<RecordedLog> MonitorLogs() => [.. _logs.Entries.Where(e => e.Category.StartsWith(MonitorCategory, StringComparison.Ordinal))];

    private static OutboxBacklogMonitor<OrdersDbContext> Monitor(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<OutboxBacklogMonitor<OrdersDbContext>>().Single();

    private IHost BuildHost() =>
        store.BuildHost(services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            _logs.AddTo(services, MonitorCategory);
        }, ("Messaging:ServiceName", _service), ("Messaging:OutboxMetricsInterval", Interval.ToString()));
}
