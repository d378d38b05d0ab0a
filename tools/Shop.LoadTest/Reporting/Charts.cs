namespace Shop.LoadTest.Reporting;

/// <summary>The series the report draws: latency per second of the run, and the latency histogram.</summary>
public static class Charts
{
    public static IReadOnlyList<TimelinePoint> Timeline(IReadOnlyList<TrackedOrder> orders, double startMs) =>
        [.. orders.GroupBy(o => (int)((o.IntendedMs - startMs) / 1000)).OrderBy(g => g.Key).Select(second =>
        {
            var post = LatencySummary.Of(second.Select(o => o.AcceptedMs - o.IntendedMs));
            var final = LatencySummary.Of(second.Where(o => o.FinalStatus is not null).Select(o => o.FinalMs - o.IntendedMs));
            return new TimelinePoint(second.Key, second.Count(), (int)final.Count, post.P50, post.P99, final.P50, final.P99, final.Max);
        })];

    /// <summary>Counts in buckets that grow by a quarter each, from 0.5 ms up to the slowest order.</summary>
    public static IReadOnlyList<HistogramBucket> Histogram(IReadOnlyList<TrackedOrder> orders)
    {
        var post = orders.Select(o => o.AcceptedMs - o.IntendedMs).ToList();
        var final = orders.Where(o => o.FinalStatus is not null).Select(o => o.FinalMs - o.IntendedMs).ToList();
        if (post.Count == 0)
        {
            return [];
        }
        var max = Math.Max(post.Max(), final.DefaultIfEmpty(0).Max());
        var edges = new List<double> { 0, 0.5 };
        while (edges[^1] <= max)
        {
            edges.Add(edges[^1] * 1.25);
        }
        var postCounts = Count(post, edges);
        var finalCounts = Count(final, edges);
        return [.. Enumerable.Range(0, edges.Count - 1).Select(i => new HistogramBucket(Math.Round(edges[i], 3), Math.Round(edges[i + 1], 3), postCounts[i], finalCounts[i]))];
    }

    private static long[] Count(List<double> values, List<double> edges)
    {
        var counts = new long[edges.Count - 1];
        foreach (var value in values)
        {
            var index = edges.BinarySearch(value);
            index = index >= 0 ? index : ~index - 1;
            counts[Math.Clamp(index, 0, counts.Length - 1)]++;
        }
        return counts;
    }
}
