namespace Shop.IntegrationTests.Observability;

/// <summary>One trace's spans as a tree, for assertions on parentage and a text rendering in the test output.</summary>
public sealed class SpanTree(IReadOnlyList<Activity> spans)
{
    private readonly Dictionary<ActivitySpanId, Activity> _byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());

    public IReadOnlyList<Activity> Spans { get; } = spans;

    public Activity Single(Func<Activity, bool> match, string what)
    {
        var found = Spans.Where(match).ToList();
        Assert.True(found.Count == 1, $"expected one span {what} in the trace, found {found.Count}:{Environment.NewLine}{Render()}");
        return found[0];
    }

    public Activity First(Func<Activity, bool> match, string what) =>
        Spans.Where(match).OrderBy(s => s.StartTimeUtc).FirstOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"no span {what} in the trace:{Environment.NewLine}{Render()}");

    /// <summary>True if <paramref name="ancestor"/> is on the parent chain of <paramref name="span"/>.</summary>
    public bool Descends(Activity span, Activity ancestor)
    {
        for (var current = span; _byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The spans as an indented tree: start offset from the root, duration, name, source.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        var origin = Spans.Count == 0 ? default : Spans.Min(s => s.StartTimeUtc);
        var roots = Spans.Where(s => !_byId.ContainsKey(s.ParentSpanId)).OrderBy(s => s.StartTimeUtc);
        foreach (var root in roots)
        {
            Write(root, 0);
        }
        return text.ToString();

        void Write(Activity span, int depth)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(span.StartTimeUtc - origin).TotalMilliseconds,8:0.0} ms +{span.Duration.TotalMilliseconds,7:0.0} ms  ");
            text.Append(' ', depth * 2).Append(CultureInfo.InvariantCulture, $"{span.DisplayName} [{span.Source.Name}, {span.Kind}]");
            if (span.Status == ActivityStatusCode.Error)
            {
                text.Append(" ERROR");
            }
            text.AppendLine();
            foreach (var child in Spans.Where(s => s.ParentSpanId == span.SpanId).OrderBy(s => s.StartTimeUtc))
            {
                Write(child, depth + 1);
            }
        }
    }
}
