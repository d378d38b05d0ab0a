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
    /// Work already accepted and not yet done, beyond which new work is refused: orders not yet final (Orders), or
    /// payments waiting for the consumer (Payments). It bounds how long an accepted order waits under overload to about
    /// this many orders' worth of the shop's throughput, while leaving an idle or larger machine unthrottled.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxBacklog { get; set; } = 100;

    /// <summary>What <c>Retry-After</c> tells a refused client.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the backlog is measured.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
