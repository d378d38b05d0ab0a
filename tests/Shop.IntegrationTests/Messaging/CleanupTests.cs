namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// The cleanup deletes what can no longer matter: published outbox rows past their retention and inbox records past
/// the deduplication window. An unpublished outbox row is never deleted, however old: it is a message not yet sent.
/// Invariant I14 of docs/architecture.md.
/// </summary>
public sealed class CleanupTests(MessagingStore store) : IClassFixture<MessagingStore>, IAsyncLifetime
{
    private static readonly TimeSpan OutboxRetention = TimeSpan.FromHours(1);
    private static readonly TimeSpan InboxRetention = TimeSpan.FromDays(7);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => store.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Published_outbox_rows_go_after_their_retention_and_unpublished_ones_never()
    {
        var now = _clock.GetUtcNow();
        var longAgo = now - TimeSpan.FromDays(30);
        var expired = await store.InsertOutboxRowAsync(longAgo, publishedAt: now - OutboxRetention - Tick);
        var atTheRetention = await store.InsertOutboxRowAsync(longAgo, publishedAt: now - OutboxRetention);
        var recent = await store.InsertOutboxRowAsync(now - TimeSpan.FromMinutes(5), publishedAt: now - TimeSpan.FromMinutes(5));
        // Written a month ago and still not confirmed (a long broker outage): the cleanup must leave it to the relay.
        var unpublishedOld = await store.InsertOutboxRowAsync(longAgo);
        var unpublishedNew = await store.InsertOutboxRowAsync(now);

        var removed = await CleanupAsync();

        Assert.Equal(1, removed.Outbox);
        var left = await store.Db.QueryAsync("SELECT id FROM outbox_messages", r => r.GetGuid(0));
        Assert.Equal(new[] { atTheRetention, recent, unpublishedOld, unpublishedNew }.Order(), left.Order());
        Assert.DoesNotContain(expired, left);
    }

    [Fact]
    public async Task Inbox_records_stay_for_the_whole_deduplication_window()
    {
        var now = _clock.GetUtcNow();
        var expired = Guid.NewGuid();
        var atTheWindow = Guid.NewGuid();
        var insideTheWindow = Guid.NewGuid();
        await store.InsertInboxRecordAsync(expired, now - InboxRetention - Tick);
        await store.InsertInboxRecordAsync(atTheWindow, now - InboxRetention);
        await store.InsertInboxRecordAsync(insideTheWindow, now - InboxRetention + TimeSpan.FromHours(1));

        var removed = await CleanupAsync();

        Assert.Equal(1, removed.Inbox);
        var left = await store.Db.QueryAsync("SELECT message_id FROM inbox_messages", r => r.GetGuid(0));
        Assert.Equal(new[] { atTheWindow, insideTheWindow }.Order(), left.Order());
    }

    [Fact]
    public async Task Each_retention_applies_to_its_own_table()
    {
        var now = _clock.GetUtcNow();
        // Older than the outbox retention, well inside the inbox window: a redelivery of it must still be recognised.
        var inbox = Guid.NewGuid();
        await store.InsertInboxRecordAsync(inbox, now - OutboxRetention - TimeSpan.FromHours(1));
        var outbox = await store.InsertOutboxRowAsync(now - TimeSpan.FromDays(2), publishedAt: now - InboxRetention + TimeSpan.FromDays(1));

        var removed = await CleanupAsync();

        Assert.Equal((1, 0), removed);
        Assert.Equal(0, await store.Db.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE id = $1", outbox));
        Assert.Equal(1, await store.Db.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = $1", inbox));
    }

    private async Task<(int Outbox, int Inbox)> CleanupAsync()
    {
        using var host = store.BuildHost(services => services.AddSingleton<TimeProvider>(_clock),
            ("Messaging:OutboxRetention", OutboxRetention.ToString()), ("Messaging:InboxRetention", InboxRetention.ToString()));
        return await host.Services.GetRequiredService<IMessagingCleanup>().RunAsync(CancellationToken.None);
    }
}
