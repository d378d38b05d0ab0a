using System.Diagnostics.Metrics;

namespace Shop.Messaging;

/// <summary>What the outbox and inbox do, as counters a dashboard (or a test's MeterListener) can read.</summary>
public static class MessagingMetrics
{
    public const string MeterName = "Shop.Messaging";

    public const string OutcomeApplied = "applied";
    public const string OutcomeDuplicate = "duplicate";
    public const string OutcomeDeadLettered = "dead_lettered";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Deliveries finished, tagged <c>queue</c> and <c>outcome</c> (applied, duplicate, dead_lettered).</summary>
    public static readonly Counter<long> Consumed = Meter.CreateCounter<long>("shop.messaging.consumed", "{message}");

    /// <summary>Handling attempts that failed and will be tried again, tagged <c>queue</c> and <c>transient</c>.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("shop.messaging.retries", "{attempt}");

    /// <summary>Outbox rows the broker confirmed, tagged <c>service</c>.</summary>
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("shop.messaging.published", "{message}");

    /// <summary>Outbox rows the broker did not confirm (they stay for the next round), tagged <c>service</c>.</summary>
    public static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>("shop.messaging.publish_failures", "{message}");
}
