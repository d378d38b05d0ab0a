using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// The outbox's commit hook on a database of its own, with a dispatcher that records each hand-over: committed rows are
/// handed over once, and a void unit of work's rows are forgotten at the moment it ends (a failed or cancelled
/// SaveChanges in its own transaction, a failed commit, a rollback) or, for a transaction abandoned without an end, when
/// the context's next unit of work begins. Each moment is read from <see cref="OutboxCommitInterceptor.HeldRows"/>, so
/// each path is seen on its own, not only through the next unit's result.
/// Invariants I2 and I4 of docs/architecture.md.
/// </summary>
public sealed class CommitInterceptorTests(MessagingStore store) : IClassFixture<MessagingStore>, IAsyncLifetime
{
    private readonly RecordingDispatcher _dispatcher = new();
    private readonly CancelWhileSaving _cancel = new();

    public Task InitializeAsync() => store.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_SaveChanges_that_fails_in_its_own_transaction_forgets_its_rows_as_it_fails()
    {
        await using var unit = Open();
        var phantom = Guid.NewGuid();
        await using var fault = await FailWritingAsync(phantom);

        unit.Enqueue(phantom);
        await Assert.ThrowsAsync<DbUpdateException>(() => unit.Db.SaveChangesAsync());

        Assert.Equal(0, unit.Held);
        Assert.Empty(_dispatcher.HandOvers);
    }

    [Fact]
    public async Task A_SaveChanges_cancelled_in_its_own_transaction_forgets_its_rows_as_it_is_cancelled()
    {
        await using var unit = Open();
        using var cancel = new CancellationTokenSource();
        _cancel.Source = cancel;

        unit.Enqueue(Guid.NewGuid());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => unit.Db.SaveChangesAsync(cancel.Token));

        Assert.Equal(0, unit.Held);
        Assert.Empty(_dispatcher.HandOvers);
    }

    [Fact]
    public async Task A_SaveChanges_that_fails_inside_a_transaction_keeps_its_rows_and_the_earlier_ones_for_a_retry_and_the_commit()
    {
        await using var unit = Open();
        var (first, retried) = (Guid.NewGuid(), Guid.NewGuid());
        // Installed before the transaction, whose writes would hold off the trigger's creation; it strikes once.
        await using var fault = await FailWritingAsync(retried, times: 1);
        await using var transaction = await unit.Db.Database.BeginTransactionAsync();
        unit.Enqueue(first);
        await unit.Db.SaveChangesAsync();
        unit.Enqueue(retried);
        // EF rolls back to the savepoint it took before this SaveChanges: the transaction and the first row go on.
        await Assert.ThrowsAsync<DbUpdateException>(() => unit.Db.SaveChangesAsync());

        Assert.Equal(2, unit.Held);

        await unit.Db.SaveChangesAsync();
        await transaction.CommitAsync();

        AssertHandedOver([first, retried]);
    }

    [Fact]
    public async Task A_SaveChanges_that_fails_inside_a_transaction_and_is_given_up_leaves_its_row_out_of_the_commits_hand_over()
    {
        await using var unit = Open();
        var (first, givenUp) = (Guid.NewGuid(), Guid.NewGuid());
        await using var fault = await FailWritingAsync(givenUp, times: 1);
        await using var transaction = await unit.Db.Database.BeginTransactionAsync();
        unit.Enqueue(first);
        await unit.Db.SaveChangesAsync();
        unit.Enqueue(givenUp);
        await Assert.ThrowsAsync<DbUpdateException>(() => unit.Db.SaveChangesAsync());

        // The caller gives up the failed work (its row was never written) and commits what was written before it.
        foreach (var entry in unit.Db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
        await transaction.CommitAsync();

        AssertHandedOver([first]);
        Assert.Equal(0, await store.Db.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1", givenUp));
        Assert.Equal(0, unit.Held);
    }

    [Fact]
    public async Task A_transaction_whose_commit_fails_forgets_its_rows_as_the_commit_fails()
    {
        await using var unit = Open();
        var phantom = Guid.NewGuid();
        await using var fault = await FailWritingAsync(phantom, atCommit: true);
        await using var transaction = await unit.Db.Database.BeginTransactionAsync();
        unit.Enqueue(phantom);
        await unit.Db.SaveChangesAsync();
        Assert.Equal(1, unit.Held);

        await Assert.ThrowsAsync<PostgresException>(() => transaction.CommitAsync());

        Assert.Equal(0, unit.Held);
        Assert.Empty(_dispatcher.HandOvers);
    }

    [Fact]
    public async Task A_rolled_back_transaction_forgets_its_rows_as_it_rolls_back()
    {
        await using var unit = Open();
        await using var transaction = await unit.Db.Database.BeginTransactionAsync();
        unit.Enqueue(Guid.NewGuid());
        await unit.Db.SaveChangesAsync();
        Assert.Equal(1, unit.Held);

        await transaction.RollbackAsync();

        Assert.Equal(0, unit.Held);
        Assert.Empty(_dispatcher.HandOvers);
    }

    [Fact]
    public async Task A_transaction_begun_after_an_abandoned_one_forgets_its_rows_as_it_begins()
    {
        await using var unit = Open();
        await unit.AbandonAsync(async () =>
        {
            unit.Enqueue(Guid.NewGuid());
            await unit.Db.SaveChangesAsync();
        });
        // Disposing a transaction that neither committed nor rolled back raises no event: its rows are still held.
        Assert.Equal(1, unit.Held);

        await using var transaction = await unit.Db.Database.BeginTransactionAsync();

        Assert.Equal(0, unit.Held);
        var committed = Guid.NewGuid();
        unit.Enqueue(committed);
        await unit.Db.SaveChangesAsync();
        await transaction.CommitAsync();
        AssertHandedOver([committed]);
    }

    [Fact]
    public async Task A_transaction_begun_after_one_abandoned_with_a_failed_SaveChanges_forgets_its_rows_as_it_begins()
    {
        await using var unit = Open();
        var phantom = Guid.NewGuid();
        await using (await FailWritingAsync(phantom))
        {
            await unit.AbandonAsync(async () =>
            {
                unit.Enqueue(phantom);
                await Assert.ThrowsAsync<DbUpdateException>(() => unit.Db.SaveChangesAsync());
            });
        }
        // Inside a transaction a failed SaveChanges keeps its rows for a retry; the transaction then ended without an event.
        Assert.Equal(1, unit.Held);

        await using var transaction = await unit.Db.Database.BeginTransactionAsync();

        Assert.Equal(0, unit.Held);
    }

    [Fact]
    public async Task A_SaveChanges_in_its_own_transaction_after_an_abandoned_one_hands_over_only_its_own_rows()
    {
        await using var unit = Open();
        await unit.AbandonAsync(async () =>
        {
            unit.Enqueue(Guid.NewGuid());
            await unit.Db.SaveChangesAsync();
        });
        Assert.Equal(1, unit.Held);
        Guid[] committed = [Guid.NewGuid(), Guid.NewGuid()];

        // Two rows in one SaveChanges: EF opens a transaction of its own while saving, which must not forget them.
        unit.Enqueue(committed[0]);
        unit.Enqueue(committed[1]);
        await unit.Db.SaveChangesAsync();

        AssertHandedOver(committed);
        Assert.Equal(0, unit.Held);
    }

    [Fact]
    public async Task Two_SaveChanges_in_one_transaction_hand_over_both_rows_at_its_commit()
    {
        await using var unit = Open();
        Guid[] committed = [Guid.NewGuid(), Guid.NewGuid()];
        await using var transaction = await unit.Db.Database.BeginTransactionAsync();
        unit.Enqueue(committed[0]);
        await unit.Db.SaveChangesAsync();
        unit.Enqueue(committed[1]);
        await unit.Db.SaveChangesAsync();

        Assert.Equal(2, unit.Held);
        Assert.Empty(_dispatcher.HandOvers);

        await transaction.CommitAsync();

        AssertHandedOver(committed);
        Assert.Equal(0, unit.Held);
    }

    [Fact]
    public async Task A_SaveChanges_in_a_transaction_handed_to_the_context_forgets_the_rows_of_an_abandoned_one()
    {
        await using var unit = Open();
        await unit.AbandonAsync(async () =>
        {
            unit.Enqueue(Guid.NewGuid());
            await unit.Db.SaveChangesAsync();
        });
        var committed = Guid.NewGuid();
        // A transaction begun on the connection and handed to EF raises no TransactionStarting: only SaveChanges sees it is another.
        await using var handed = await unit.UseTransactionOfItsOwnAsync();
        Assert.Equal(1, unit.Held);

        unit.Enqueue(committed);
        await unit.Db.SaveChangesAsync();

        Assert.Equal(1, unit.Held);
        await handed.CommitAsync();
        AssertHandedOver([committed]);
    }

    [Fact]
    public async Task A_transaction_handed_to_the_context_commits_without_handing_over_the_rows_of_an_abandoned_one()
    {
        await using var unit = Open();
        await unit.AbandonAsync(async () =>
        {
            unit.Enqueue(Guid.NewGuid());
            await unit.Db.SaveChangesAsync();
        });
        await using var handed = await unit.UseTransactionOfItsOwnAsync();
        Assert.Equal(1, unit.Held);

        await handed.CommitAsync();

        Assert.Empty(_dispatcher.HandOvers);
        Assert.Equal(0, unit.Held);
    }

    [Fact]
    public async Task A_commit_that_wrote_no_outbox_row_hands_nothing_over()
    {
        await using var unit = Open();
        unit.Db.Orders.Add(new Order { Id = Guid.CreateVersion7(), UserId = 1, Amount = 5, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
        await unit.Db.SaveChangesAsync();
        await using (var transaction = await unit.Db.Database.BeginTransactionAsync())
        {
            unit.Db.Orders.Add(new Order { Id = Guid.CreateVersion7(), UserId = 1, Amount = 6, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            await unit.Db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        // With no dispatch worker running, an empty hand-over would still wake the relay for nothing.
        Assert.Empty(_dispatcher.HandOvers);
        Assert.Equal(0, unit.Held);
    }

    [Fact]
    public async Task The_synchronous_calls_hand_over_and_forget_as_the_asynchronous_ones_do()
    {
        await using var unit = Open();
        var committed = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var (failed, failedAtCommit) = (Guid.NewGuid(), Guid.NewGuid());
        using (unit.Db.Database.BeginTransaction())
        {
            unit.Enqueue(Guid.NewGuid());
            unit.Db.SaveChanges();
        }
        unit.Db.ChangeTracker.Clear();
        Assert.Equal(1, unit.Held);

        using (var transaction = unit.Db.Database.BeginTransaction())
        {
            Assert.Equal(0, unit.Held);
            unit.Enqueue(committed[0]);
            unit.Db.SaveChanges();
            transaction.Commit();
        }
        unit.Enqueue(committed[1]);
        unit.Db.SaveChanges();
        AssertHandedOver([committed[0]], [committed[1]]);

        using (var transaction = unit.Db.Database.BeginTransaction())
        {
            unit.Enqueue(Guid.NewGuid());
            unit.Db.SaveChanges();
            transaction.Rollback();
            Assert.Equal(0, unit.Held);
        }
        unit.Db.ChangeTracker.Clear();

        await using (await FailWritingAsync(failed))
        {
            unit.Enqueue(failed);
            Assert.Throws<DbUpdateException>(() => unit.Db.SaveChanges());
            Assert.Equal(0, unit.Held);
        }
        unit.Db.ChangeTracker.Clear();

        await using (await FailWritingAsync(failedAtCommit, atCommit: true))
        {
            using var transaction = unit.Db.Database.BeginTransaction();
            unit.Enqueue(failedAtCommit);
            unit.Db.SaveChanges();
            Assert.Throws<PostgresException>(() => transaction.Commit());
            Assert.Equal(0, unit.Held);
        }

        Assert.Equal(2, _dispatcher.HandOvers.Count);
    }

    /// <summary>The hand-overs so far were these, in order, each of these rows.</summary>
    private void AssertHandedOver(params Guid[][] handOvers) => Assert.Equal(handOvers, _dispatcher.HandOvers);

    private Unit Open()
    {
        var host = store.BuildHost(services =>
        {
            services.AddSingleton<IOutboxDispatcher>(_dispatcher);
            services.AddSingleton<IInterceptor>(_cancel);
        });
        return new Unit(host, host.Services.CreateAsyncScope());
    }

    /// <summary>Every write of the outbox row of <paramref name="orderId"/> fails (or the first <paramref name="times"/>), at the write or when its transaction commits.</summary>
    private Task<DatabaseFault> FailWritingAsync(Guid orderId, bool atCommit = false, int? times = null) =>
        DatabaseFault.InstallAsync(store.Db, "outbox_messages", $"NEW.correlation_id = '{orderId}'", DatabaseFault.Permanent, atCommit: atCommit, times: times);

    /// <summary>One pooled Orders context on the store's database, and the outbox that writes into it.</summary>
    private sealed class Unit(IHost host, AsyncServiceScope scope) : IAsyncDisposable
    {
        public OrdersDbContext Db { get; } = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();

        /// <summary>The rows the commit hook holds for this context right now.</summary>
        public int Held => OutboxCommitInterceptor.HeldRows(Db);

        /// <summary>Writes an OrderStatusChanged of <paramref name="orderId"/> to the outbox (committed with the next SaveChanges).</summary>
        public void Enqueue(Guid orderId) =>
            scope.ServiceProvider.GetRequiredService<IOutbox>().Enqueue(new OrderStatusChanged(orderId, 1, "PAID", null, DateTimeOffset.UtcNow));

        /// <summary>Runs <paramref name="work"/> in a transaction disposed without a commit or a rollback.</summary>
        public async Task AbandonAsync(Func<Task> work)
        {
            await using (await Db.Database.BeginTransactionAsync())
            {
                await work();
            }
            Db.ChangeTracker.Clear();
        }

        /// <summary>A transaction begun on the context's connection, not through EF, and then handed to it.</summary>
        public async Task<HandedTransaction> UseTransactionOfItsOwnAsync()
        {
            await Db.Database.OpenConnectionAsync();
            var own = await Db.Database.GetDbConnection().BeginTransactionAsync();
            var used = await Db.Database.UseTransactionAsync(own) ?? throw new InvalidOperationException("EF did not take the transaction");
            return new HandedTransaction(Db, own, used);
        }

        public async ValueTask DisposeAsync()
        {
            await scope.DisposeAsync();
            host.Dispose();
        }
    }

    private sealed class HandedTransaction(OrdersDbContext db, System.Data.Common.DbTransaction own, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction used)
        : IAsyncDisposable
    {
        public Task CommitAsync() => used.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await used.DisposeAsync();
            await own.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The order ids of the rows of each hand-over, in order.</summary>
    private sealed class RecordingDispatcher : IOutboxDispatcher
    {
        public List<Guid[]> HandOvers { get; } = [];

        public void Committed(IReadOnlyList<OutboxMessage> messages) => HandOvers.Add([.. messages.Select(m => m.CorrelationId)]);
    }

    /// <summary>Cancels <see cref="Source"/> once SaveChanges has begun: the cancellation reaches EF while it writes.</summary>
    private sealed class CancelWhileSaving : SaveChangesInterceptor
    {
        public CancellationTokenSource? Source { get; set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Source is { } source)
            {
                await source.CancelAsync();
            }
            return result;
        }
    }
}
