using System.ComponentModel.DataAnnotations;

namespace Shop.Gateway.RateLimiting;

/// <summary>
/// Budgets of requests at the gateway (section <c>RateLimiting</c>): per user (token subject, or X-User-ID in Header
/// mode) and per client address, each a fixed window. The defaults are far above what one machine's load tool can
/// send, so they only stop a runaway client; a deployment sets its own.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    [Required]
    public WindowBudget PerUser { get; set; } = new() { PermitLimit = 2_000, Window = TimeSpan.FromSeconds(1) };

    [Required]
    public WindowBudget PerAddress { get; set; } = new() { PermitLimit = 20_000, Window = TimeSpan.FromSeconds(1) };
}

/// <summary>At most <see cref="PermitLimit"/> requests in each <see cref="Window"/>.</summary>
public sealed class WindowBudget
{
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Window { get; set; }

    public override string ToString() => $"{PermitLimit} per {Describe(Window)}";

    private static string Describe(TimeSpan window) => window switch
    {
        { TotalSeconds: 1 } => "second",
        { TotalMinutes: 1 } => "minute",
        { TotalHours: 1 } => "hour",
        _ => window.TotalSeconds >= 1 ? $"{window.TotalSeconds:0.###} s" : $"{window.TotalMilliseconds:0.###} ms",
    };
}
