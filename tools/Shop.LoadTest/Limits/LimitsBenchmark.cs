using RabbitMQ.Client;

namespace Shop.LoadTest.Limits;

/// <summary>
/// What this machine can do at most, measured the way the system uses it: an outbox-style PostgreSQL transaction
/// (a business row and an outbox row, one commit) at 1 and 16 clients, in a scratch database it drops after; and
/// persistent 512-byte publishes with confirms, one at a time and 128 in flight, to a scratch queue it deletes.
/// </summary>
public sealed class LimitsBenchmark(LoadTestOptions options, Action<string> log)
{
    public async Task<LimitsResult> MeasureAsync(CancellationToken cancellationToken)
    {
        var seconds = options.LimitsDuration;
        var (one, p50) = await PostgresAsync(1, seconds, cancellationToken);
        log($"[limits] PostgreSQL outbox transaction, 1 client:   {one,8:F0} commits/s (p50 {p50:F2} ms)");
        var (sixteen, _) = await PostgresAsync(16, seconds, cancellationToken);
        log($"[limits] PostgreSQL outbox transaction, 16 clients: {sixteen,8:F0} commits/s");
        var single = await RabbitAsync(1, seconds, cancellationToken);
        log($"[limits] RabbitMQ persistent publish + confirm, 1 at a time:  {single,8:F0} msg/s");
        var many = await RabbitAsync(128, seconds, cancellationToken);
        log($"[limits] RabbitMQ persistent publish + confirm, 128 in flight: {many,8:F0} msg/s");
        return new LimitsResult(one, sixteen, p50, single, many, seconds.TotalSeconds);
    }

    private async Task<(double PerSecond, double P50Ms)> PostgresAsync(int clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(options.OrdersDb) { Database = "postgres", Pooling = false }.ConnectionString;
        var database = $"shop_loadtest_limits_{Guid.NewGuid():N}"[..40];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"", cancellationToken);
        try
        {
            var scratch = new NpgsqlConnectionStringBuilder(options.OrdersDb) { Database = database, MaxPoolSize = clients + 2 }.ConnectionString;
            await ExecuteAsync(scratch, """
                CREATE TABLE orders (id uuid PRIMARY KEY, user_id bigint NOT NULL, amount bigint NOT NULL, status varchar(16) NOT NULL,
                                     created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
                CREATE TABLE outbox_messages (id uuid PRIMARY KEY, sequence bigint GENERATED ALWAYS AS IDENTITY, type varchar(100) NOT NULL,
                                     payload json NOT NULL, correlation_id uuid NOT NULL, created_at timestamptz NOT NULL, published_at timestamptz);
                CREATE INDEX ix_outbox_unpublished ON outbox_messages (sequence) WHERE published_at IS NULL;
                """, cancellationToken);
            await using var source = NpgsqlDataSource.Create(scratch);
            var latencies = new List<double>();
            long commits = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
            {
                await using var connection = await source.OpenConnectionAsync(cancellationToken);
                while (clock.Elapsed < duration)
                {
                    var started = Stopwatch.GetTimestamp();
                    await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
                    {
                        var id = Guid.CreateVersion7();
                        await using var batch = new NpgsqlBatch(connection, transaction)
                        {
                            BatchCommands =
                            {
                                Command("INSERT INTO orders VALUES ($1, $2, 10, 'PENDING', now(), now())", id, (long)client),
                                Command("INSERT INTO outbox_messages (id, type, payload, correlation_id, created_at) VALUES ($1, 'OrderCreated', $2::json, $3, now())",
                                    Guid.NewGuid(), $"{{\"orderId\":\"{id}\",\"userId\":{client},\"amount\":10}}", id),
                            },
                        };
                        await batch.ExecuteNonQueryAsync(cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                    }
                    Interlocked.Increment(ref commits);
                    if (client == 0)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
            }));
            latencies.Sort();
            return (commits / clock.Elapsed.TotalSeconds, latencies.Count == 0 ? 0 : latencies[latencies.Count / 2]);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", CancellationToken.None);
        }
    }

    private async Task<double> RabbitAsync(int inFlight, TimeSpan duration, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(options.RabbitMq), ClientProvidedName = "shop-loadtest-limits" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        // Tracking on, with an outstanding-confirm limit above the publishes in flight (a smaller one stalls).
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(inFlight * 4)), cancellationToken);
        var queue = $"shop.loadtest.limits.{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        try
        {
            var body = new byte[512];
            Random.Shared.NextBytes(body);
            var properties = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };
            long published = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
            {
                while (clock.Elapsed < duration)
                {
                    await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body, cancellationToken);
                    Interlocked.Increment(ref published);
                }
            }));
            return published / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await channel.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
