namespace Shop.FaultTests.Cluster;

/// <summary>
/// What a cluster test that waited in vain saw at that moment, short enough to travel in the failure's message (a CI
/// log keeps only its tail): which nodes run, each queue's leader, replicas, depth and consumers, each client channel's
/// unconfirmed publishes and unacked deliveries, the unpublished outbox rows of both services, and the last warnings
/// of each app. Every probe that fails says so in its line instead of hiding the rest.
/// </summary>
public static class StallReport
{
    private const int WarningsPerApp = 3;

    /// <summary>Runs <paramref name="wait"/>; a timeout is thrown again with the state of the cluster and the system appended.</summary>
    public static async Task<T> OnTimeoutAsync<T>(RabbitMqCluster cluster, ProcessSystem system, Func<Task<T>> wait)
    {
        try
        {
            return await wait();
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(timeout.Message + Environment.NewLine + await DescribeAsync(cluster, system), timeout);
        }
    }

    public static async Task<string> DescribeAsync(RabbitMqCluster cluster, ProcessSystem system)
    {
        var lines = new List<string>();
        await Probe(lines, "nodes", async () =>
            [string.Join(", ", await Task.WhenAll(RabbitMqCluster.Nodes.Select(async n => $"{n} {(await RabbitMqCluster.IsUpAsync(n) ? "up" : "down")}")))]);
        var vhost = Uri.EscapeDataString(system.VirtualHost);
        await Probe(lines, "queues", async () => await Task.WhenAll(
            (await cluster.GetJsonAsync($"/api/queues/{vhost}?columns=name")).EnumerateArray().Select(q => Text(q, "name")).Order()
            .Select(async name =>
            {
                // The detail of one queue carries its figures; the list may not yet.
                var q = await cluster.GetJsonAsync($"/api/queues/{vhost}/{Uri.EscapeDataString(name)}");
                return $"{name}: leader {Text(q, "leader")}, online [{string.Join(",", Strings(q, "online"))}], "
                    + $"ready {Number(q, "messages_ready")}, unacked {Number(q, "messages_unacknowledged")}, consumers {Number(q, "consumers")}";
            })));
        var clients = new Dictionary<string, string>();
        await Probe(lines, "connections", async () => (await cluster.GetJsonAsync($"/api/vhosts/{vhost}/connections")).EnumerateArray()
            .Select(c =>
            {
                clients[Text(c, "name")] = Text(c, "user_provided_name");
                return $"{Text(c, "user_provided_name")} on {Text(c, "node")}: {Text(c, "state")}, channels {Number(c, "channels")}";
            }).ToList());
        await Probe(lines, "channels", async () => (await cluster.GetJsonAsync($"/api/vhosts/{vhost}/channels")).EnumerateArray()
            .Select(c =>
            {
                var connection = c.TryGetProperty("connection_details", out var details) ? Text(details, "name") : "?";
                return $"{clients.GetValueOrDefault(connection, connection)}: {Text(c, "state")}, consumers {Number(c, "consumer_count")}, "
                    + $"unconfirmed {Number(c, "messages_unconfirmed")}, unacked {Number(c, "messages_unacknowledged")}";
            }));
        foreach (var (name, db) in new[] { ("Orders", system.OrdersDb), ("Payments", system.PaymentsDb) })
        {
            await Probe(lines, $"{name} outbox", async () => await db.QueryAsync(
                "SELECT count(*), coalesce(max(attempts), 0), min(created_at), (array_agg(last_error ORDER BY sequence DESC))[1] "
                + "FROM outbox_messages WHERE published_at IS NULL",
                r => $"{r.GetInt64(0)} unpublished, most attempts {r.GetInt32(1)}, oldest {(r.IsDBNull(2) ? "-" : r.GetFieldValue<DateTimeOffset>(2).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture))}, "
                    + $"last error {(r.IsDBNull(3) ? "-" : r.GetString(3))}"));
        }
        foreach (var app in new[] { system.Orders, system.Payments, system.Gateway })
        {
            lines.AddRange(LastWarnings(app).Select(line => $"{app.Name} log: {line}"));
        }
        return string.Join(Environment.NewLine, lines.Select(line => line.Length > 300 ? line[..300] + "…" : line));
    }

    private static async Task Probe(List<string> lines, string what, Func<Task<IEnumerable<string>>> probe)
    {
        try
        {
            lines.AddRange((await probe()).Select(line => $"{what}: {line}"));
        }
        catch (Exception exception)
        {
            lines.Add($"{what}: not seen ({exception.GetType().Name}: {exception.Message})");
        }
    }

    private static IEnumerable<string> LastWarnings(AppProcess app)
    {
        if (!File.Exists(app.LogFile))
        {
            return [];
        }
        using var stream = new FileStream(app.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var last = new Queue<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(" warn: ", StringComparison.Ordinal) || line.Contains(" fail: ", StringComparison.Ordinal)
                || line.Contains(" crit: ", StringComparison.Ordinal))
            {
                last.Enqueue(line);
                if (last.Count > WarningsPerApp)
                {
                    last.Dequeue();
                }
            }
        }
        return last;
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "-";

    private static string Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "-";

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString() ?? "?")
            : [];
}
