using System.ComponentModel.DataAnnotations;

namespace Shop.Messaging.RabbitMq;

/// <summary>
/// The <c>Messaging</c> section: the service's name, how its consumers take deliveries (prefetch, batches, retries) and
/// how Shop.Messaging's outbox and inbox built on this transport run (dispatch, relay, retention). One section, so it
/// lives in the lower of the two libraries.
/// </summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>Names this service in connection names and logs; set by the app, overridable.</summary>
    [Required]
    public string ServiceName { get; set; } = "";

    /// <summary>
    /// Publish each outbox row straight after the commit that wrote it (the relay then only takes over rows this
    /// dispatch could not publish). Off, every row waits for a relay round, as the timer-only outbox would.
    /// </summary>
    public bool DispatchOnCommit { get; set; } = true;

    /// <summary>
    /// How long the relay leaves an unpublished row to the commit-time dispatch before taking it over. Short enough for
    /// a quick catch-up after a broker outage; long enough that the relay rarely publishes a row the dispatch is still
    /// publishing (which would only be a duplicate, absorbed by the consumer's inbox).
    /// </summary>
    public TimeSpan RelayGrace { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The grace the relay applies: none when rows are not dispatched at commit.</summary>
    internal TimeSpan EffectiveRelayGrace => DispatchOnCommit ? RelayGrace : TimeSpan.Zero;

    /// <summary>
    /// How long the commit-time dispatch gathers confirmed rows before it marks them published, so one statement marks
    /// the rows of many publishes instead of one or two. Zero marks whatever has been confirmed at once. A row not yet
    /// marked is only a row the relay could publish again, and the relay leaves rows younger than
    /// <see cref="RelayGrace"/> alone, so this stays well below it.
    /// </summary>
    public TimeSpan MarkDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Outbox rows published per relay round or dispatch batch; each awaits its confirms together.</summary>
    [Range(1, 5000)]
    public int RelayBatchSize { get; set; } = 200;

    /// <summary>
    /// Commit-time dispatch batches publishing at once. Rows that arrive while all are waiting for confirms gather into
    /// the next batch.
    /// </summary>
    public const int DispatchBatchesInFlight = 4;

    /// <summary>
    /// Publishes a channel may have unconfirmed: above the dispatch's batches in flight and a relay round together, so it
    /// never throttles them.
    /// </summary>
    public int UnconfirmedPublishLimit => Math.Max(1024, RelayBatchSize * (DispatchBatchesInFlight + 2));

    /// <summary>
    /// How long a publish waits for the broker's confirm. One that does not come in time fails the publish (its outbox row
    /// stays for the relay) and takes the publishing channel out of use, so no channel the broker stopped answering on
    /// holds the dispatch or the relay for ever.
    /// </summary>
    public TimeSpan PublishConfirmTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Unacknowledged deliveries the broker may push to each queue's consumer; enough for every batch in flight and the next.</summary>
    [Range(1, 5000)]
    public ushort Prefetch { get; set; } = 256;

    /// <summary>
    /// Batches each queue's consumer handles at once; each holds a database connection while it runs. With a
    /// <see cref="BatchSize"/> of 1, this is the number of messages handled at once.
    /// </summary>
    [Range(1, 256)]
    public ushort ConsumerConcurrency { get; set; } = 2;

    /// <summary>
    /// Most deliveries handled in one transaction. A batch is whatever has arrived when a worker is free, never waiting for
    /// more, so a lone message goes alone; under load the deliveries that came in during the last commit go together.
    /// 1 handles every message in a transaction of its own.
    /// </summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Attempts for a failure that is neither transient nor poison, before the message is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Longest pause between retries of a transient failure (database or broker down).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the outbox backlog gauges are sampled (one count query each time).</summary>
    public TimeSpan OutboxMetricsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long published outbox rows are kept before the cleanup deletes them.</summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The deduplication window: a redelivery older than this is no longer recognised.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);
}
