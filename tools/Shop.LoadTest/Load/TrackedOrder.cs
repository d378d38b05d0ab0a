namespace Shop.LoadTest.Load;

/// <summary>One order of the run, with the moments each witness saw it (ms on the <see cref="RunClock"/>; NaN: not seen).</summary>
public sealed class TrackedOrder(Guid id)
{
    public Guid Id { get; } = id;
    public long UserId { get; set; }

    /// <summary>When the schedule meant the POST to start (open model), so a late start counts as latency.</summary>
    public double IntendedMs { get; set; } = double.NaN;
    public double AcceptedMs { get; set; } = double.NaN;

    /// <summary>Final status pushed over SignalR (as the browser sees it), and when.</summary>
    public string? PushedStatus { get; set; }
    public double PushedMs { get; set; } = double.NaN;

    /// <summary>Final status read by the REST witness, and when.</summary>
    public string? PolledStatus { get; set; }
    public double PolledMs { get; set; } = double.NaN;

    public string? FinalStatus => PushedStatus ?? PolledStatus;

    public double FinalMs => Math.Min(Nan(PushedMs), Nan(PolledMs));

    private static double Nan(double value) => double.IsNaN(value) ? double.PositiveInfinity : value;
}
