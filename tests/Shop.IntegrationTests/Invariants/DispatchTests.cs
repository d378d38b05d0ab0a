namespace Shop.IntegrationTests.Invariants;

/// <summary>
/// Committed outbox rows leave at once, without waiting for a relay round; rows of a transaction that did not commit
/// never leave, even from a pooled context that is used again.
/// Invariants I2 and I4 of docs/architecture.md.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class DispatchTests(ShopSystem system)
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
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var queue = (await broker.Channel.QueueDeclareAsync($"test.dispatch.{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await broker.Channel.QueueBindAsync(queue, ShopTopology.OrdersExchange, "order.status-changed");
        var user = ShopSystem.NewUserId();
        var rolledBack = Guid.NewGuid();
        var abandoned = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var committed = new[] { Guid.NewGuid(), Guid.NewGuid() };

        await using (var scope = system.Orders.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
            void Enqueue(Guid orderId) => outbox.Enqueue(new OrderStatusChanged(orderId, user, "PAID", null, DateTimeOffset.UtcNow));

            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                Enqueue(rolledBack);
                await db.SaveChangesAsync();
                await transaction.RollbackAsync();
            }
            db.ChangeTracker.Clear();
            await AbandonAsync(db, () => Enqueue(abandoned[0]));

            // The same context's next unit of work, in a transaction of its own…
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                Enqueue(committed[0]);
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
            }
            await AbandonAsync(db, () => Enqueue(abandoned[1]));

            // …and in SaveChanges' own transaction.
            Enqueue(committed[1]);
            await db.SaveChangesAsync();
        }

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
        }, ids => ids.Contains(committed[1]), "both committed status changes");

        // The dispatch queue is first in, first out: had a void row been handed over, it would have arrived before the next commit's.
        Assert.Equal(committed, received);
        Assert.Equal(0, await system.OrdersDb.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE correlation_id = ANY($1)", new[] { rolledBack, abandoned[0], abandoned[1] }));
    }

    [Fact]
    public async Task Rows_of_a_SaveChanges_that_failed_in_its_own_transaction_are_never_published_by_the_context_used_again()
    {
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var queue = (await broker.Channel.QueueDeclareAsync($"test.dispatch.{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await broker.Channel.QueueBindAsync(queue, ShopTopology.OrdersExchange, "order.status-changed");
        var user = ShopSystem.NewUserId();
        // An order of another user, whose key the failing insert repeats.
        var existing = await system.Client.PlaceOrderAsync(ShopSystem.NewUserId(), 5);
        var phantom = Guid.NewGuid();
        var committed = new[] { Guid.NewGuid(), Guid.NewGuid() };

        await using (var scope = system.Orders.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
            void Enqueue(Guid orderId) => outbox.Enqueue(new OrderStatusChanged(orderId, user, "PAID", null, DateTimeOffset.UtcNow));

            // As an Idempotency-Key conflict does: SaveChanges in its own transaction fails on a unique key, rows and all.
            db.Orders.Add(new Order { Id = existing.Id, UserId = existing.UserId, Amount = 5, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            Enqueue(phantom);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();

            // The same context's next units of work: one in a transaction of its own (as a consumer's), one in SaveChanges'.
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                Enqueue(committed[0]);
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
            }
            Enqueue(committed[1]);
            await db.SaveChangesAsync();
        }

        var received = await ReceiveStatusChangesAsync(broker, queue, user, committed[1]);

        // First in, first out: a phantom handed to the dispatch would have arrived before the next commit's rows.
        Assert.Equal(committed, received);
        Assert.Equal(0, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1", phantom));
    }

    [Fact]
    public async Task Rows_of_a_SaveChanges_cancelled_inside_a_transaction_are_never_published_by_the_context_used_again()
    {
        // As a consumer's batch is cancelled when its channel dies: SaveChanges in the batch's transaction is cancelled
        // mid-write, the transaction is never committed, and the pooled context goes on to the next batch.
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var queue = (await broker.Channel.QueueDeclareAsync($"test.dispatch.{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await broker.Channel.QueueBindAsync(queue, ShopTopology.OrdersExchange, "order.status-changed");
        var user = ShopSystem.NewUserId();
        var phantom = Guid.NewGuid();
        var committed = new[] { Guid.NewGuid(), Guid.NewGuid() };
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
            await using (var scope = system.Orders.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
                var outbox = scope.ServiceProvider.GetRequiredService<IOutbox>();
                void Enqueue(Guid orderId) => outbox.Enqueue(new OrderStatusChanged(orderId, user, "PAID", null, DateTimeOffset.UtcNow));

                await using (var transaction = await db.Database.BeginTransactionAsync())
                {
                    using var cancel = new CancellationTokenSource();
                    Enqueue(phantom);
                    var saving = db.SaveChangesAsync(cancel.Token);
                    await Eventually.UntilAsync(
                        () => system.OrdersDb.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()"),
                        n => n >= 1, $"the outbox row of order {phantom} to stall in its trigger");
                    await cancel.CancelAsync();
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => saving);
                }
                db.ChangeTracker.Clear();

                // The same context's next units of work: one in a transaction of its own (as the next batch's), one in SaveChanges'.
                await using (var transaction = await db.Database.BeginTransactionAsync())
                {
                    Enqueue(committed[0]);
                    await db.SaveChangesAsync();
                    await transaction.CommitAsync();
                }
                Enqueue(committed[1]);
                await db.SaveChangesAsync();
            }

            var received = await ReceiveStatusChangesAsync(broker, queue, user, committed[1]);

            // First in, first out: a phantom handed to the dispatch would have arrived before the next commit's rows.
            Assert.Equal(committed, received);
            Assert.Equal(0, await system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE correlation_id = $1", phantom));
        }
        finally
        {
            await system.OrdersDb.ExecuteAsync($"DROP TRIGGER {name} ON outbox_messages; DROP FUNCTION {name}();");
        }
    }

    private static async Task<List<Guid>> ReceiveStatusChangesAsync(RawBroker broker, string queue, long user, Guid last)
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
