using System.Diagnostics.Metrics;

namespace Shop.Messaging.RabbitMq;

/// <summary>What the outbox and inbox do, as counters a dashboard (or a test's MeterListener) can read.</summary>
public static class MessagingMetrics
{
    public const string MeterName = "Shop.Messaging";

    public const string OutcomeApplied = "applied";
    public const string OutcomeDuplicate = "duplicate";
    public const string OutcomeDeadLettered = "dead_lettered";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>The outcome tag of <see cref="PublishDuration"/>.</summary>
    public const string OutcomeConfirmed = "confirmed";
    public const string OutcomeFailed = "failed";

    /// <summary>Deliveries finished, tagged <c>queue</c> and <c>outcome</c> (applied, duplicate, dead_lettered).</summary>
    public static readonly Counter<long> Consumed = Meter.CreateCounter<long>("shop.messaging.consumed", "{message}");

    /// <summary>Handling attempts that failed and will be tried again, tagged <c>queue</c> and <c>transient</c>.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("shop.messaging.retries", "{attempt}");

    /// <summary>Outbox rows the broker confirmed, tagged <c>service</c>.</summary>
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("shop.messaging.published", "{message}");

    /// <summary>Outbox rows the broker did not confirm (they stay for the next round), tagged <c>service</c>.</summary>
    public static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>("shop.messaging.publish_failures", "{message}");

    /// <summary>Seconds from publishing a message to the broker's confirm, tagged <c>exchange</c> and <c>outcome</c> (confirmed, failed).</summary>
    public static readonly Histogram<double> PublishDuration = Meter.CreateHistogram(
        "shop.messaging.publish.duration", "s", "Time from publish to the broker's confirm", advice: Seconds);

    /// <summary>Seconds a delivery took from receipt to ack (inbox check, effect, commit, retries), tagged <c>queue</c> and <c>outcome</c>.</summary>
    public static readonly Histogram<double> ProcessDuration = Meter.CreateHistogram(
        "shop.messaging.process.duration", "s", "Time from receiving a delivery to its ack", advice: Seconds);

    /// <summary>Deliveries handled together in one transaction, tagged <c>queue</c>.</summary>
    public static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>(
        "shop.messaging.batch.size", "{message}", "Deliveries handled in one transaction",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    /// <summary>Deliveries received and waiting in the consumer for a free worker, tagged <c>queue</c>: the consumer's own lag.</summary>
    public static readonly UpDownCounter<long> Buffered = Meter.CreateUpDownCounter<long>("shop.messaging.consumer.buffered", "{message}");

    public const string OutboxBacklogName = "shop.messaging.outbox.backlog";
    public const string OutboxOldestAgeName = "shop.messaging.outbox.oldest_age";

    /// <summary>Buckets from half a millisecond (a local confirm) to ten seconds (a stalled broker).</summary>
    public static InstrumentAdvice<double> Seconds { get; } = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };
}
