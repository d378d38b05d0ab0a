using Moq;

namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// The relay, the safety net behind the commit-time dispatch, on a database of its own with a clock the test moves:
/// it leaves young rows to the dispatch, and keeps the books of a publish that failed.
/// Invariants I3 and I5 of docs/architecture.md.
/// </summary>
public sealed class RelaySafetyNetTests(MessagingStore store) : IClassFixture<MessagingStore>, IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<Guid> _published = new();
    private readonly Mock<IMessagePublisher> _publisher = new();

    public Task InitializeAsync()
    {
        _publisher.Setup(p => p.PublishAsync(It.IsAny<OutgoingMessage>(), It.IsAny<CancellationToken>()))
            .Callback<OutgoingMessage, CancellationToken>((message, _) => _published.Enqueue(message.MessageId))
            .Returns(Task.CompletedTask);
        return store.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_relay_leaves_rows_younger_than_the_grace_to_the_dispatch_and_takes_them_once_they_are_older()
    {
        var now = _clock.GetUtcNow();
        var old = await store.InsertOutboxRowAsync(now - TimeSpan.FromSeconds(5));
        var atTheGrace = await store.InsertOutboxRowAsync(now - Grace);
        var young = await store.InsertOutboxRowAsync(now - Grace + TimeSpan.FromMilliseconds(1));
        using var host = BuildRelayHost();
        var relay = host.Services.GetRequiredService<IOutboxRelay>();

        var first = await relay.DrainAsync(CancellationToken.None);

        Assert.Equal([old, atTheGrace], _published);
        Assert.Equal(new RelayResult(2, 0), first);
        Assert.Equal([young], await UnpublishedAsync());

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = await relay.DrainAsync(CancellationToken.None);

        Assert.Equal([old, atTheGrace, young], _published);
        Assert.Equal(new RelayResult(1, 0), second);
        Assert.Empty(await UnpublishedAsync());
    }

    [Fact]
    public async Task Without_dispatch_on_commit_the_relay_takes_every_row_at_once()
    {
        var row = await store.InsertOutboxRowAsync(_clock.GetUtcNow());
        using var host = BuildRelayHost(("Messaging:DispatchOnCommit", "false"));

        await host.Services.GetRequiredService<IOutboxRelay>().DrainAsync(CancellationToken.None);

        Assert.Equal([row], _published);
    }

    [Fact]
    public async Task A_publish_that_fails_counts_an_attempt_records_the_error_and_ends_the_round()
    {
        var created = _clock.GetUtcNow() - TimeSpan.FromMinutes(1);
        var rows = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            rows.Add(await store.InsertOutboxRowAsync(created));
        }
        var failing = rows[1];
        _publisher.Setup(p => p.PublishAsync(It.Is<OutgoingMessage>(m => m.MessageId == failing), It.IsAny<CancellationToken>()))
            .Callback<OutgoingMessage, CancellationToken>((message, _) => _published.Enqueue(message.MessageId))
            .ThrowsAsync(new InvalidOperationException("the broker said no"));
        using var host = BuildRelayHost(("Messaging:RelayBatchSize", "2"));
        var relay = host.Services.GetRequiredService<IOutboxRelay>();

        var result = await relay.DrainAsync(CancellationToken.None);

        // The first batch (rows 0 and 1) went out; with one of them failed the round ends, leaving rows 2–4 untouched.
        Assert.Equal(new RelayResult(1, 1), result);
        Assert.Equal(rows[..2].Order(), _published.Order());
        var state = await OutboxStateAsync();
        Assert.NotNull(state[rows[0]].PublishedAt);
        // The row confirmed in the failed batch keeps clean books: the failure is its neighbour's.
        Assert.Equal((0, (string?)null), (state[rows[0]].Attempts, state[rows[0]].LastError));
        Assert.Equal(((DateTimeOffset?)null, 1, (string?)"InvalidOperationException: the broker said no"), state[failing]);
        Assert.All(rows[2..], id => Assert.Equal(((DateTimeOffset?)null, 0, (string?)null), state[id]));

        _publisher.Setup(p => p.PublishAsync(It.Is<OutgoingMessage>(m => m.MessageId == failing), It.IsAny<CancellationToken>()))
            .Callback<OutgoingMessage, CancellationToken>((message, _) => _published.Enqueue(message.MessageId))
            .Returns(Task.CompletedTask);
        var retried = await relay.DrainAsync(CancellationToken.None);

        Assert.Equal(new RelayResult(4, 0), retried);
        Assert.Empty(await UnpublishedAsync());
        // The attempt stays counted; the next round published the failed row and the rest.
        Assert.Equal(1, (await OutboxStateAsync())[failing].Attempts);
        Assert.Equal(rows[1..].Order(), _published.Skip(2).Order());
    }

    [Fact]
    public async Task A_rounds_failed_rows_all_record_its_first_error_cut_to_the_column_length()
    {
        var created = _clock.GetUtcNow() - TimeSpan.FromMinutes(1);
        var first = await store.InsertOutboxRowAsync(created);
        var second = await store.InsertOutboxRowAsync(created);
        // Longer than last_error's 1000 characters: written whole, the update would fail and the round lose its bookkeeping.
        var longMessage = new string('x', 2000);
        _publisher.Setup(p => p.PublishAsync(It.Is<OutgoingMessage>(m => m.MessageId == first), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException(longMessage));
        _publisher.Setup(p => p.PublishAsync(It.Is<OutgoingMessage>(m => m.MessageId == second), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("no confirm"));
        using var host = BuildRelayHost();

        var result = await host.Services.GetRequiredService<IOutboxRelay>().DrainAsync(CancellationToken.None);

        Assert.Equal(new RelayResult(0, 2), result);
        var expected = ((DateTimeOffset?)null, 1, (string?)("InvalidOperationException: " + longMessage)[..1000]);
        var state = await OutboxStateAsync();
        Assert.Equal(expected, state[first]);
        Assert.Equal(expected, state[second]);
    }

    [Fact]
    public async Task Rows_are_marked_with_the_time_they_were_confirmed()
    {
        var row = await store.InsertOutboxRowAsync(_clock.GetUtcNow() - TimeSpan.FromMinutes(1));
        using var host = BuildRelayHost();

        await host.Services.GetRequiredService<IOutboxRelay>().DrainAsync(CancellationToken.None);

        Assert.Equal(_clock.GetUtcNow(), (await OutboxStateAsync())[row].PublishedAt);
    }

    private IHost BuildRelayHost(params (string Key, string Value)[] settings) =>
        store.BuildHost(services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddSingleton(_publisher.Object);
        }, [("Messaging:RelayGrace", Grace.ToString()), .. settings]);

    private Task<List<Guid>> UnpublishedAsync() =>
        store.Db.QueryAsync("SELECT id FROM outbox_messages WHERE published_at IS NULL ORDER BY sequence", r => r.GetGuid(0));

    private async Task<Dictionary<Guid, (DateTimeOffset? PublishedAt, int Attempts, string? LastError)>> OutboxStateAsync() =>
        (await store.Db.QueryAsync("SELECT id, published_at, attempts, last_error FROM outbox_messages", r => (
            Id: r.GetGuid(0),
            State: (r.IsDBNull(1) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3)))))
        .ToDictionary(r => r.Id, r => r.State);
}
