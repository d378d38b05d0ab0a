using System.ComponentModel.DataAnnotations;

namespace Shop.Api.Admission;

/// <summary>
/// The <c>Admission</c> section: when the shop refuses new work (orders, top-ups) with 503 and <c>Retry-After</c> rather
/// than accept what would wait for seconds. Reads are never refused.
/// </summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Admission";

    public bool Enabled { get; set; } = true;

    /// <summary>Write requests one app instance handles at once; one more is refused.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentWrites { get; set; } = 64;

    /// <summary>
    /// Work already accepted and not yet done, beyond which new work is always refused: orders not yet final (Orders), or
    /// payments waiting for the consumer (Payments). A burst on an idle shop is taken up to this many.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxBacklog { get; set; } = 100;

    /// <summary>
    /// The wait an accepted order should not exceed under sustained overload: once the backlog has stood at more than
    /// this much work at the measured throughput for <see cref="OverloadAfter"/>, the bound shrinks to throughput × this
    /// (see <see cref="BacklogBound"/>). Zero keeps the bound at <see cref="MaxBacklog"/>. Only where the backlog gauge
    /// measures throughput (Orders).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The least the bound shrinks to under overload, so a short stall in throughput does not shut the shop.</summary>
    [Range(1, 10_000_000)]
    public int MinBacklog { get; set; } = 32;

    /// <summary>
    /// How long the backlog must stand above <see cref="MaxWait"/> to tighten the bound, and how long without a refusal
    /// loosens it again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan OverloadAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What <c>Retry-After</c> tells a refused client.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the backlog is measured.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
