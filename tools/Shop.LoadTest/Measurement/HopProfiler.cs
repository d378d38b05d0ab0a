using Shop.Contracts;

namespace Shop.LoadTest.Measurement;

/// <summary>
/// Splits the order's round trip into hops from the timestamps the apps wrote: the order row, the outbox rows and
/// their published_at, and the push's arrival here. All clocks are this machine's, so the hops add up.
/// </summary>
public static class HopProfiler
{
    public static async Task<IReadOnlyList<HopSummary>> MeasureAsync(LoadTestOptions options, UserRange users, IReadOnlyList<TrackedOrder> orders,
        RunClock clock, CancellationToken cancellationToken)
    {
        var byId = orders.ToDictionary(o => o.Id);
        var rows = new Dictionary<Guid, OrderTimes>();
        await using (var source = NpgsqlDataSource.Create(options.OrdersDb))
        await using (var command = source.CreateCommand($"""
            SELECT o.id, o.created_at, o.updated_at, c.published_at, s.created_at, s.published_at
            FROM orders o
            LEFT JOIN outbox_messages c ON c.correlation_id = o.id AND c.type = '{TypeName<OrderCreated>()}'
            LEFT JOIN outbox_messages s ON s.correlation_id = o.id AND s.type = '{TypeName<OrderStatusChanged>()}'
            WHERE o.user_id BETWEEN $1 AND $2
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = users.First + 1 });
            command.Parameters.Add(new NpgsqlParameter { Value = users.Last });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[reader.GetGuid(0)] = new OrderTimes(reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2),
                    Nullable(reader, 3), Nullable(reader, 4), Nullable(reader, 5));
            }
        }
        var results = new Dictionary<Guid, (DateTimeOffset Created, DateTimeOffset? Published)>();
        await using (var source = NpgsqlDataSource.Create(options.PaymentsDb))
        await using (var command = source.CreateCommand($"""
            SELECT correlation_id, created_at, published_at FROM outbox_messages
            WHERE type IN ('{TypeName<PaymentCompleted>()}', '{TypeName<PaymentFailed>()}') AND correlation_id = ANY($1)
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Keys.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                results[reader.GetGuid(0)] = (reader.GetFieldValue<DateTimeOffset>(1), Nullable(reader, 2));
            }
        }

        var hops = new Dictionary<string, List<double>>();
        void Add(string hop, DateTimeOffset? from, DateTimeOffset? to)
        {
            if (from is not null && to is not null)
            {
                (hops.TryGetValue(hop, out var list) ? list : hops[hop] = []).Add((to.Value - from.Value).TotalMilliseconds);
            }
        }
        foreach (var (id, times) in rows)
        {
            var order = byId.GetValueOrDefault(id);
            var sent = order is null || double.IsNaN(order.IntendedMs) ? (DateTimeOffset?)null : clock.StartedAt.AddMilliseconds(order.IntendedMs);
            var pushed = order is null || double.IsNaN(order.PushedMs) ? (DateTimeOffset?)null : clock.StartedAt.AddMilliseconds(order.PushedMs);
            var result = results.TryGetValue(id, out var r) ? r : default;
            Add("1 client send → order row (gateway, HTTP, Orders)", sent, times.Created);
            Add("2 order commit → OrderCreated published (outbox)", times.Created, times.CreatedPublished);
            Add("3 OrderCreated published → charged in Payments (broker, consumer)", times.CreatedPublished, result.Created == default ? null : result.Created);
            Add("4 charged → payment result published (outbox)", result.Created == default ? null : result.Created, result.Published);
            Add("5 payment result published → order final in Orders (broker, consumer)", result.Published, times.Updated);
            Add("6 order final → OrderStatusChanged published (outbox)", times.StatusCreated, times.StatusPublished);
            Add("7 OrderStatusChanged published → push received (broker, gateway, SignalR)", times.StatusPublished, pushed);
            Add("= client send → push received", sent, pushed);
        }
        return [.. hops.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new HopSummary(h.Key, LatencySummary.Of(h.Value)))];
    }

    /// <summary>The event's wire name (the outbox row's <c>type</c>), as the topology routes it.</summary>
    private static string TypeName<TEvent>() => ShopTopology.RouteOf(typeof(TEvent)).TypeName;

    private static DateTimeOffset? Nullable(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private sealed record OrderTimes(DateTimeOffset Created, DateTimeOffset Updated, DateTimeOffset? CreatedPublished,
        DateTimeOffset? StatusCreated, DateTimeOffset? StatusPublished);
}
