namespace Shop.IntegrationTests.Invariants;

/// <summary>
/// Committed outbox rows leave at once, without waiting for a relay round; rows of a transaction that did not commit
/// never leave, even from a pooled context that is used again.
/// Invariants I2 and I4 of docs/architecture.md.
/// </summary>
public sealed class DispatchTests(ShopSystem system) : ShopTests
{
    [Fact]
    public async Task Order_completes_while_every_relay_is_held_and_its_rows_are_marked_published()
    {
        var user = await system.NewUserWithBalanceAsync(100);
        // Holding both relays' advisory locks stops every relay round, as a stuck relay would be.
        await using var ordersRelay = await HoldRelayAsync(system.OrdersDb, OutboxRelay<OrdersDbContext>.RelayLockKey);
        await using var paymentsRelay = await HoldRelayAsync(system.PaymentsDb, OutboxRelay<PaymentsDbContext>.RelayLockKey);

        var order = await system.Client.PlaceOrderAsync(user, 40);

        Assert.Equal("PAID", (await system.Client.WaitForFinalStatusAsync(user, order.Id)).Status);
        await Eventually.UntilAsync(
            () => system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1 AND published_at IS NOT NULL", order.Id),
            marked => marked == 2, $"OrderCreated and OrderStatusChanged of order {order.Id} marked published");
        await Eventually.UntilAsync(
            () => system.PaymentsDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1 AND published_at IS NOT NULL", order.Id),
            marked => marked == 1, $"PaymentCompleted of order {order.Id} marked published");
    }

    [Fact]
    public async Task Rows_of_a_rolled_back_or_abandoned_transaction_are_never_published_by_a_context_used_again()
    {
        await using var relay = await HoldOrdersRelayAsync();
        await using var statusChanges = await StatusChanges.ListenAsync(system.BrokerUri);
        var user = ShopSystem.NewUserId();
        var rolledBack = Guid.NewGuid();
        var abandoned = new[] { Guid.NewGuid(), Guid.NewGuid() };

        var committed = await WithOrdersContextAsync(user, async (db, enqueue) =>
        {
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                enqueue(rolledBack);
                await db.SaveChangesAsync();
                await transaction.RollbackAsync();
            }
            db.ChangeTracker.Clear();
            await AbandonAsync(db, () => enqueue(abandoned[0]));

            return await CommitBothWaysAsync(db, enqueue, between: () => AbandonAsync(db, () => enqueue(abandoned[1])));
        });

        await AssertOnlyCommittedArriveAsync(statusChanges, user, committed, [rolledBack, abandoned[0], abandoned[1]]);
    }

    [Fact]
    public async Task Rows_of_a_SaveChanges_that_failed_in_its_own_transaction_are_never_published_by_the_context_used_again()
    {
        await using var relay = await HoldOrdersRelayAsync();
        await using var statusChanges = await StatusChanges.ListenAsync(system.BrokerUri);
        var user = ShopSystem.NewUserId();
        // An order of another user, whose key the failing insert repeats.
        var existing = await system.Client.PlaceOrderAsync(ShopSystem.NewUserId(), 5);
        var phantom = Guid.NewGuid();

        var committed = await WithOrdersContextAsync(user, async (db, enqueue) =>
        {
            // As an Idempotency-Key conflict does: SaveChanges in its own transaction fails on a unique key, rows and all.
            db.Orders.Add(new Order { Id = existing.Id, UserId = existing.UserId, Amount = 5, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            enqueue(phantom);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();

            return await CommitBothWaysAsync(db, enqueue);
        });

        await AssertOnlyCommittedArriveAsync(statusChanges, user, committed, [phantom]);
    }

    [Fact]
    public async Task Rows_of_a_SaveChanges_cancelled_inside_a_transaction_are_never_published_by_the_context_used_again()
    {
        await using var relay = await HoldOrdersRelayAsync();
        // As a consumer's batch is cancelled when its channel dies: SaveChanges in the batch's transaction is cancelled
        // mid-write, the transaction is never committed, and the pooled context goes on to the next batch.
        await using var statusChanges = await StatusChanges.ListenAsync(system.BrokerUri);
        var user = ShopSystem.NewUserId();
        var phantom = Guid.NewGuid();
        // The phantom's outbox row waits in PostgreSQL until its statement is cancelled.
        var name = $"test_stall_{Guid.NewGuid():N}"[..24];
        await system.OrdersDb.ExecuteAsync($"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $stall$
            BEGIN
                IF NEW.correlation_id = '{phantom}' THEN PERFORM pg_sleep(60); END IF;
                RETURN NEW;
            END $stall$;
            CREATE TRIGGER {name} BEFORE INSERT ON outbox_messages FOR EACH ROW EXECUTE FUNCTION {name}();
            """);
        try
        {
            var committed = await WithOrdersContextAsync(user, async (db, enqueue) =>
            {
                await using (var transaction = await db.Database.BeginTransactionAsync())
                {
                    using var cancel = new CancellationTokenSource();
                    enqueue(phantom);
                    var saving = db.SaveChangesAsync(cancel.Token);
                    await Eventually.UntilAsync(
                        () => system.OrdersDb.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()"),
                        n => n >= 1, $"the outbox row of order {phantom} to stall in its trigger");
                    await cancel.CancelAsync();
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => saving);
                }
                db.ChangeTracker.Clear();

                return await CommitBothWaysAsync(db, enqueue);
            });

            await AssertOnlyCommittedArriveAsync(statusChanges, user, committed, [phantom]);
        }
        finally
        {
            await system.OrdersDb.ExecuteAsync($"DROP TRIGGER {name} ON outbox_messages; DROP FUNCTION {name}();");
        }
    }

    /// <summary>
    /// With the Orders relay held, a committed row can leave only by the commit-time dispatch: one the interceptor failed
    /// to hand over would never arrive, where the relay would have sent it a second later.
    /// </summary>
    private Task<RelayHold> HoldOrdersRelayAsync() => HoldRelayAsync(system.OrdersDb, OutboxRelay<OrdersDbContext>.RelayLockKey);

    /// <summary>Runs <paramref name="work"/> on one pooled Orders context, with a way to enqueue an OrderStatusChanged of <paramref name="user"/>.</summary>
    private async Task<T> WithOrdersContextAsync<T>(long user, Func<OrdersDbContext, Action<Guid>, Task<T>> work)
    {
        await using var scope = system.Orders.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
        return await work(db, orderId => outbox.Enqueue(new OrderStatusChanged(orderId, user, "PAID", null, DateTimeOffset.UtcNow)));
    }

    /// <summary>
    /// The context's next units of work after a void one: a status change in a transaction of its own (as a consumer's
    /// batch), then, after <paramref name="between"/>, one in SaveChanges' own, then two in one SaveChanges, for which EF
    /// opens a transaction of its own while saving. Returns their order ids.
    /// </summary>
    private static async Task<Guid[]> CommitBothWaysAsync(OrdersDbContext db, Action<Guid> enqueue, Func<Task>? between = null)
    {
        Guid[] committed = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            enqueue(committed[0]);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        if (between is not null)
        {
            await between();
        }
        enqueue(committed[1]);
        await db.SaveChangesAsync();
        enqueue(committed[2]);
        enqueue(committed[3]);
        await db.SaveChangesAsync();
        return committed;
    }

    private async Task AssertOnlyCommittedArriveAsync(StatusChanges statusChanges, long user, Guid[] committed, Guid[] voided)
    {
        var received = await statusChanges.ReceiveAsync(user, committed[^1]);

        // The dispatch queue is first in, first out: had a void row been handed over, it would have arrived before the next commit's.
        Assert.Equal(committed, received);
        Assert.Equal(0, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = ANY($1)", voided));
    }

    /// <summary>Writes a row in a transaction that is disposed without a commit or a rollback.</summary>
    private static async Task AbandonAsync(OrdersDbContext db, Action enqueue)
    {
        await using (await db.Database.BeginTransactionAsync())
        {
            enqueue();
            await db.SaveChangesAsync();
        }
        db.ChangeTracker.Clear();
    }

    /// <summary>A queue of the test's own, bound to the OrderStatusChanged events the Orders app publishes.</summary>
    private sealed class StatusChanges(RawBroker broker, string queue) : IAsyncDisposable
    {
        public static async Task<StatusChanges> ListenAsync(string brokerUri)
        {
            var broker = await RawBroker.ConnectAsync(brokerUri);
            var queue = (await broker.Channel.QueueDeclareAsync($"test.dispatch.{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
            await broker.Channel.QueueBindAsync(queue, ShopTopology.OrdersExchange, "order.status-changed");
            return new StatusChanges(broker, queue);
        }

        /// <summary>The order ids of <paramref name="user"/>'s status changes in the order they arrive, up to <paramref name="last"/>'s.</summary>
        public async Task<List<Guid>> ReceiveAsync(long user, Guid last)
        {
            var received = new List<Guid>();
            await Eventually.UntilAsync(async () =>
            {
                while (await broker.Channel.BasicGetAsync(queue, autoAck: true) is { } message)
                {
                    using var body = JsonDocument.Parse(message.Body);
                    if (body.RootElement.GetProperty("userId").GetInt64() == user)
                    {
                        received.Add(body.RootElement.GetProperty("orderId").GetGuid());
                    }
                }
                return received;
            }, ids => ids.Contains(last), $"the status change of order {last}");
            return received;
        }

        public ValueTask DisposeAsync() => broker.DisposeAsync();
    }

    private static async Task<RelayHold> HoldRelayAsync(NpgsqlDataSource db, long key)
    {
        var connection = await db.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({key})", connection);
        await command.ExecuteNonQueryAsync();
        return new RelayHold(connection, key);
    }

    /// <summary>
    /// A session-level lock on a pooled connection outlives closing it (the pool resets the session only when the
    /// connection is next used), so the hold unlocks explicitly; otherwise that app's relay would wait for good.
    /// </summary>
    private sealed class RelayHold(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({key})", connection))
            {
                await unlock.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }
}
