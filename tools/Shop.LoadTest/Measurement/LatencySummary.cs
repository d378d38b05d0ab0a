using HdrHistogram;

namespace Shop.LoadTest.Measurement;

/// <summary>Percentiles of one latency, in milliseconds, from an HdrHistogram of microseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    private const long HighestMicros = 10L * 60 * 1_000_000;

    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    public static LongHistogram Histogram(IEnumerable<double> milliseconds)
    {
        var histogram = new LongHistogram(HighestMicros, 3);
        foreach (var ms in milliseconds)
        {
            histogram.RecordValue(Math.Clamp((long)Math.Round(ms * 1000), 1, HighestMicros));
        }
        return histogram;
    }

    public static LatencySummary Of(IEnumerable<double> milliseconds)
    {
        var histogram = Histogram(milliseconds);
        if (histogram.TotalCount == 0)
        {
            return Empty;
        }
        double At(double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;
        return new LatencySummary(histogram.TotalCount, At(50), At(90), At(99), At(99.9), histogram.GetMaxValue() / 1000.0,
            histogram.GetMean() / 1000.0);
    }

    public override string ToString() =>
        Count == 0 ? "none" : FormattableString.Invariant($"p50 {P50:F1} p90 {P90:F1} p99 {P99:F1} p99.9 {P999:F1} max {Max:F1} ms (n={Count})");
}
