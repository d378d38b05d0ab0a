namespace Shop.LoadTest.Reporting;

/// <summary>One of the system's figures set against the machine's limit it is bounded by.</summary>
public sealed record Ratio(string What, double Value, string Explanation)
{
    /// <summary>Each order costs 3 business commits (create, charge, apply result) and 3 published events.</summary>
    public const int CommitsPerOrder = 3;
    public const int MessagesPerOrder = 3;

    public static IReadOnlyList<Ratio> Of(double ordersPerSecond, LimitsResult limits, string source) =>
    [
        new("orders/s ÷ PostgreSQL commits/s (16 clients)", ordersPerSecond / limits.PostgresCommitsSixteenClients,
            Text($"{ordersPerSecond:F0} orders/s ({source}) against {limits.PostgresCommitsSixteenClients:F0} outbox commits/s")),
        new("business commits/s ÷ PostgreSQL commits/s (16 clients)", CommitsPerOrder * ordersPerSecond / limits.PostgresCommitsSixteenClients,
            Text($"{CommitsPerOrder} commits per order (create, charge, apply) = {CommitsPerOrder * ordersPerSecond:F0}/s, relay marks not counted")),
        new("events/s ÷ RabbitMQ confirmed publishes/s (128 in flight)", MessagesPerOrder * ordersPerSecond / limits.RabbitConfirmed128InFlight,
            Text($"{MessagesPerOrder} events per order = {MessagesPerOrder * ordersPerSecond:F0}/s against {limits.RabbitConfirmed128InFlight:F0}/s")),
        new("events/s ÷ RabbitMQ confirmed publishes/s (1 at a time)", MessagesPerOrder * ordersPerSecond / limits.RabbitConfirmedOneAtATime,
            Text($"against {limits.RabbitConfirmedOneAtATime:F0}/s one at a time: above 1 means the relay must batch")),
    ];

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
