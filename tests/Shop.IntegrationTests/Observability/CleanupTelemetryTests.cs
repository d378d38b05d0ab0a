namespace Shop.IntegrationTests.Observability;

/// <summary>
/// The cleanup's log line, on a database of its own (<see cref="MessagingStore"/>): one Information line per run with
/// how many published outbox rows and inbox records it removed, each count a property of its own.
/// </summary>
public sealed class CleanupTelemetryTests(MessagingStore store) : IClassFixture<MessagingStore>, IAsyncLifetime
{
    private const string CleanupCategory = "Shop.Messaging.MessagingCleanup";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => store.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_cleanup_run_logs_one_information_line_with_the_outbox_rows_and_inbox_records_it_removed()
    {
        var longAgo = _clock.GetUtcNow() - TimeSpan.FromDays(30);
        await store.InsertOutboxRowAsync(longAgo, publishedAt: longAgo);
        await store.InsertInboxRecordAsync(Guid.NewGuid(), longAgo);
        await store.InsertInboxRecordAsync(Guid.NewGuid(), longAgo);
        var logs = new LogRecorder();
        using var host = store.BuildHost(services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            logs.AddTo(services, CleanupCategory);
        });

        Assert.Equal((1, 2), await host.Services.GetRequiredService<IMessagingCleanup>().RunAsync(CancellationToken.None));

        var line = Assert.Single(logs.Entries, e => e.Category.StartsWith(CleanupCategory, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("Cleanup removed 1 published outbox rows and 2 inbox records", line.Message);
        Assert.Equal("1", line.Property("OutboxRows"));
        Assert.Equal("2", line.Property("InboxRows"));
    }
}
