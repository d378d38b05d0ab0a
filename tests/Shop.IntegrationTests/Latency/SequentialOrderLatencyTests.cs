namespace Shop.IntegrationTests.Latency;

/// <summary>
/// Places 100 orders one after another and reports how long each took from POST /orders to reading PAID over REST.
/// It asserts the outcome, never the speed: the figures are printed for the record (and the benchmark tool).
/// </summary>
public sealed class SequentialOrderLatencyTests(ShopSystem system, ITestOutputHelper output) : ShopTests
{
    [Fact]
    public async Task Hundred_sequential_orders_are_all_paid_and_their_round_trips_are_reported()
    {
        const int orders = 100;
        var user = await system.NewUserWithBalanceAsync(orders);
        await WarmUpAsync();

        var roundTrips = new List<double>(orders);
        for (var i = 0; i < orders; i++)
        {
            var clock = Stopwatch.StartNew();
            var order = await system.Client.PlaceOrderAsync(user, 1);
            OrderDto current;
            do
            {
                current = await system.Client.GetOrderAsync(user, order.Id);
            }
            while (current.Status == "PENDING" && clock.Elapsed < TimeSpan.FromSeconds(20));
            roundTrips.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal("PAID", current.Status);
        }

        roundTrips.Sort();
        var report = $"POST /orders → PAID over REST, {orders} sequential orders: median {roundTrips[orders / 2]:F1} ms, " +
                     $"p90 {roundTrips[orders * 9 / 10]:F1} ms, worst {roundTrips[^1]:F1} ms";
        output.WriteLine(report);
        report += Environment.NewLine + await HopsAsync(user);
        output.WriteLine(report);
        Directory.CreateDirectory(ArtifactsPath());
        await File.WriteAllTextAsync(Path.Combine(ArtifactsPath(), "sequential-order-latency.txt"), report + Environment.NewLine);
        Assert.Equal(0, (await system.Client.GetBalanceAsync(user)).Balance);
    }

    /// <summary>Median time of each hop, from the timestamps both databases keep.</summary>
    private async Task<string> HopsAsync(long user)
    {
        // A row is marked published a moment after its confirm (Messaging:MarkDelay), so the last order's rows may still
        // be unmarked when it is PAID.
        await Eventually.UntilAsync(() => Task.WhenAll(
                system.OrdersDb.ScalarAsync("SELECT count(*) FROM outbox_messages m JOIN orders o ON o.id = m.correlation_id WHERE o.user_id = $1 AND m.published_at IS NULL", user),
                system.PaymentsDb.ScalarAsync("SELECT count(*) FROM outbox_messages m JOIN transactions t ON t.order_id = m.correlation_id WHERE t.user_id = $1 AND m.published_at IS NULL", user)),
            unmarked => unmarked.All(n => n == 0), $"the outbox rows of user {user}'s orders to be marked published");
        var orders = new Dictionary<Guid, double[]>();
        await using (var command = system.OrdersDb.CreateCommand("""
            SELECT o.id, extract(epoch FROM o.created_at) * 1000, extract(epoch FROM c.published_at) * 1000, extract(epoch FROM o.updated_at) * 1000
            FROM orders o JOIN outbox_messages c ON c.correlation_id = o.id AND c.type = 'OrderCreated'
            WHERE o.user_id = $1
            """))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = user });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                orders[reader.GetGuid(0)] = [reader.GetDouble(1), reader.GetDouble(2), 0, 0, reader.GetDouble(3)];
            }
        }
        await using (var command = system.PaymentsDb.CreateCommand("""
            SELECT (t.order_id), extract(epoch FROM t.created_at) * 1000, extract(epoch FROM m.published_at) * 1000
            FROM transactions t JOIN outbox_messages m ON m.correlation_id = t.order_id
            WHERE t.user_id = $1 AND t.kind = 'charge'
            """))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = user });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (orders.TryGetValue(reader.GetGuid(0), out var times))
                {
                    times[2] = reader.GetDouble(1);
                    times[3] = reader.GetDouble(2);
                }
            }
        }
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
        }
        var rows = orders.Values.Where(t => t[2] > 0).ToList();
        return $"hops (median ms): created→OrderCreated confirmed {Median(rows.Select(t => t[1] - t[0])):F1}, " +
               $"→charged {Median(rows.Select(t => t[2] - t[1])):F1}, →result confirmed {Median(rows.Select(t => t[3] - t[2])):F1}, " +
               $"→order updated {Median(rows.Select(t => t[4] - t[3])):F1}";
    }

    private async Task WarmUpAsync()
    {
        var user = await system.NewUserWithBalanceAsync(5);
        for (var i = 0; i < 5; i++)
        {
            await system.Client.WaitForFinalStatusAsync(user, (await system.Client.PlaceOrderAsync(user, 1)).Id);
        }
    }

    private static string ArtifactsPath() => Path.Combine(RepositoryPaths.Root, "artifacts");
}
