namespace Shop.FaultTests.Cluster;

/// <summary>
/// The shop on a three-node RabbitMQ cluster with quorum queues (every node in RabbitMq:Endpoints), a stream of
/// orders running while nodes are killed or stopped; each test ends with the drain and the full audit. Times are
/// measured and reported (artifacts/cluster/), never asserted.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFaultTests(RabbitMqCluster cluster, ITestOutputHelper output)
{
    private const string OrderQueue = ShopTopology.PaymentsOrderCreatedQueue;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Killing_the_leader_of_the_order_queue_mid_stream_loses_nothing_and_the_node_rejoins()
    {
        await using var run = await StreamRun.StartAsync(cluster, output, "leader-sigkill");
        await using var restore = cluster.RestoreOnExit();
        var system = run.System;

        var leader = await cluster.LeaderAsync(system.VirtualHost, OrderQueue);
        Assert.NotEqual(0, leader);
        var killedAt = DateTimeOffset.UtcNow;
        await cluster.KillAsync(leader);
        var newLeader = await Eventually.UntilAsync(() => cluster.LeaderAsync(system.VirtualHost, OrderQueue),
            node => node != 0 && node != leader, $"{OrderQueue} to elect a leader other than node {leader}", Bound, retryProbeErrors: true);
        var electedSeen = DateTimeOffset.UtcNow - killedAt;

        // Poison while a node is missing: the consumer's dead letters still reach the replicated DLQ.
        var poison = await cluster.InjectPoisonAsync(system, run.Stream.UserIds[0], viaNode: newLeader);
        await run.CompletionsAsync(killedAt, 30, "after the leader was killed");
        await cluster.RestartAsync(leader);
        var restartedAt = DateTimeOffset.UtcNow;
        await Eventually.UntilAsync(() => cluster.OnlineReplicasAsync(system.VirtualHost, OrderQueue), online => online.Count == RabbitMqCluster.NodeCount,
            $"{OrderQueue} to have a replica on every node again", Bound, retryProbeErrors: true);
        await run.CompletionsAsync(restartedAt, 20, "after the node returned");

        run.Report.Figure($"leader of {OrderQueue}", $"node {leader} SIGKILLed; node {newLeader} leads (seen {electedSeen.TotalSeconds:0.0} s after the kill)");
        run.Report.Figure("poison injected while the node was down", poison.Count);
        await run.FinishAsync(cluster.SharedSystemPoison, ("leader killed", killedAt), ("node restarted", restartedAt));
    }

    [Fact]
    public async Task With_two_of_three_nodes_stopped_orders_are_accepted_and_held_and_drain_after_the_nodes_return()
    {
        await using var run = await StreamRun.StartAsync(cluster, output, "two-nodes-stopped");
        await using var restore = cluster.RestoreOnExit();
        var system = run.System;

        var leader = await cluster.LeaderAsync(system.VirtualHost, OrderQueue);
        int[] stopped = [leader, RabbitMqCluster.Nodes.First(n => n != leader)];
        var stoppingAt = DateTimeOffset.UtcNow;
        foreach (var node in stopped)
        {
            await cluster.StopAsync(node);
        }
        // From here no queue has a majority: whatever is published now cannot be confirmed, and no order can be charged.
        var majorityLostAt = DateTimeOffset.UtcNow;
        await Eventually.UntilAsync(async () => (await run.OrdersCreatedAfterAsync(majorityLostAt)).Count, n => n >= 20,
            "orders to be accepted without a broker majority", Bound, retryProbeErrors: true);
        var held = await run.OrdersCreatedAfterAsync(majorityLostAt);
        var outbox = await run.OutboxAfterAsync(majorityLostAt);
        Assert.All(held, order => Assert.Equal("PENDING", order.Status));
        Assert.Equal(0, outbox.Published);
        Assert.True(outbox.Written >= held.Count, $"{held.Count} orders accepted, {outbox.Written} outbox rows written");

        var restartingAt = DateTimeOffset.UtcNow;
        await Task.WhenAll(stopped.Select(cluster.RestartAsync));
        var backAt = DateTimeOffset.UtcNow;
        var settled = await run.SettledAsync(backAt, "the orders accepted during the outage to complete");
        await run.CompletionsAsync(backAt, 20, "after the nodes returned");

        run.Report.Figure("nodes stopped", $"{string.Join(" and ", stopped)}; node {RabbitMqCluster.Nodes.Single(n => !stopped.Contains(n))} left alone (pauses: minority)");
        run.Report.Figure("orders accepted during the outage", $"{held.Count} when checked, all PENDING; {outbox.Written} outbox rows, 0 confirmed");
        run.Report.Figure("without a majority", $"{(restartingAt - majorityLostAt).TotalSeconds:0.0} s, then both restarted in {(backAt - restartingAt).TotalSeconds:0.0} s");
        run.Report.Figure("everything from the outage final", $"{settled.TotalSeconds:0.0} s after both restarts returned");
        await run.FinishAsync(cluster.SharedSystemPoison,
            ("first node stopping", stoppingAt), ("majority lost", majorityLostAt), ("restarts begun", restartingAt), ("restarts returned", backAt));
    }

    [Fact]
    public async Task Killing_the_node_the_apps_are_connected_to_moves_them_to_another_within_seconds()
    {
        await using var run = await StreamRun.StartAsync(cluster, output, "connected-node-sigkill");
        await using var restore = cluster.RestoreOnExit();
        var system = run.System;

        string[] kinds = ["orders-publisher", "orders-consumer-", "payments-publisher", "payments-consumer-", "gateway-"];
        var before = await Eventually.UntilAsync(() => cluster.ConnectionsAsync(system.VirtualHost),
            connections => kinds.All(kind => connections.Any(c => c.Name.StartsWith(kind, StringComparison.Ordinal))),
            "every app connection to show in the management API", Bound, retryProbeErrors: true);
        var target = before.Where(c => kinds.Any(k => c.Name.StartsWith(k, StringComparison.Ordinal)))
            .GroupBy(c => c.Node).MaxBy(g => g.Count())!.Key;
        var moved = before.Where(c => c.Node == target && kinds.Any(k => c.Name.StartsWith(k, StringComparison.Ordinal))).Select(c => c.Name).ToList();

        var killedAt = DateTimeOffset.UtcNow;
        await cluster.KillAsync(target);
        var after = await Eventually.UntilAsync(() => cluster.ConnectionsAsync(system.VirtualHost),
            connections => moved.All(name => connections.Any(c => c.Name == name && c.Node != target && c.ConnectedAt > killedAt)),
            $"{string.Join(", ", moved)} to reconnect to another node", Bound, retryProbeErrors: true);
        await run.CompletionsAsync(killedAt, 30, "after the node was killed");
        await cluster.RestartAsync(target);
        var restartedAt = DateTimeOffset.UtcNow;
        await run.CompletionsAsync(restartedAt, 20, "after the node returned");

        run.Report.Line($"Node {target} SIGKILLed with {moved.Count} app connection(s) on it; reconnected (broker's connected_at − kill):");
        foreach (var name in moved)
        {
            var again = after.Where(c => c.Name == name && c.ConnectedAt > killedAt).MinBy(c => c.ConnectedAt)!;
            run.Report.Figure(Kind(name), $"{(again.ConnectedAt - killedAt).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms, to node {again.Node}");
        }
        run.Report.Figure("connections on the other nodes", string.Join(", ", before.Where(c => c.Node != target).Select(c => $"{Kind(c.Name)} (node {c.Node})")));
        Assert.All(moved, name => Assert.Contains(after, c => c.Name == name && c.Node != target));
        await run.FinishAsync(cluster.SharedSystemPoison, ("connected node killed", killedAt), ("node restarted", restartedAt));
    }

    // The gateway's connection is named after its per-instance queue, which a reconnect keeps.
    private static string Kind(string name) => name.StartsWith("gateway-", StringComparison.Ordinal) ? "gateway status feed" : name;
}
