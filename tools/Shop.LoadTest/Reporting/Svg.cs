namespace Shop.LoadTest.Reporting;

/// <summary>Small inline SVG charts, so a report is one file that opens anywhere.</summary>
public static class Svg
{
    private const int Width = 860, Height = 300, Left = 60, Right = 20, Top = 20, Bottom = 40;

    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);

    public static string LineChart(string xLabel, string yLabel, IReadOnlyList<Series> series, bool logY = false)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
        {
            return "<p>(no data)</p>";
        }
        double minX = points.Min(p => p.X), maxX = Math.Max(points.Max(p => p.X), minX + 1);
        double minY = logY ? Math.Max(0.1, points.Where(p => p.Y > 0).Select(p => p.Y).DefaultIfEmpty(1).Min()) : 0;
        var maxY = Math.Max(points.Max(p => p.Y), minY * 2) * 1.05;
        double Y(double y) => logY
            ? Top + (Height - Top - Bottom) * (1 - (Math.Log10(Math.Max(y, minY)) - Math.Log10(minY)) / (Math.Log10(maxY) - Math.Log10(minY)))
            : Top + (Height - Top - Bottom) * (1 - y / maxY);
        double X(double x) => Left + (Width - Left - Right) * (x - minX) / (maxX - minX);

        var svg = Open();
        foreach (var tick in Ticks(minY, maxY, logY))
        {
            svg.Append(Invariant($"<line x1='{Left}' x2='{Width - Right}' y1='{Y(tick):F1}' y2='{Y(tick):F1}' stroke='#eee'/>"));
            svg.Append(Invariant($"<text x='{Left - 6}' y='{Y(tick) + 4:F1}' text-anchor='end'>{Format(tick)}</text>"));
        }
        foreach (var tick in Ticks(minX, maxX, false))
        {
            svg.Append(Invariant($"<text x='{X(tick):F1}' y='{Height - Bottom + 16}' text-anchor='middle'>{Format(tick)}</text>"));
        }
        foreach (var (s, index) in series.Select((s, i) => (s, i)))
        {
            var path = string.Join(' ', s.Points.Select(p => Invariant($"{X(p.X):F1},{Y(p.Y):F1}")));
            svg.Append(Invariant($"<polyline fill='none' stroke='{s.Color}' stroke-width='1.6' points='{path}'/>"));
            if (s.Points.Count < 30)
            {
                foreach (var p in s.Points)
                {
                    svg.Append(Invariant($"<circle cx='{X(p.X):F1}' cy='{Y(p.Y):F1}' r='3' fill='{s.Color}'/>"));
                }
            }
            Legend(svg, index, s.Name, s.Color);
        }
        return Close(svg, xLabel, yLabel);
    }

    /// <summary>Bars per category (e.g. a latency bucket), one colour per series, drawn side by side.</summary>
    public static string BarChart(string xLabel, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Name, string Color, IReadOnlyList<double> Values)> series)
    {
        if (categories.Count == 0)
        {
            return "<p>(no data)</p>";
        }
        var maxY = Math.Max(1, series.SelectMany(s => s.Values).Max()) * 1.05;
        var slot = (double)(Width - Left - Right) / categories.Count;
        var bar = slot * 0.85 / series.Count;
        var svg = Open();
        foreach (var tick in Ticks(0, maxY, false))
        {
            var y = Top + (Height - Top - Bottom) * (1 - tick / maxY);
            svg.Append(Invariant($"<line x1='{Left}' x2='{Width - Right}' y1='{y:F1}' y2='{y:F1}' stroke='#eee'/><text x='{Left - 6}' y='{y + 4:F1}' text-anchor='end'>{Format(tick)}</text>"));
        }
        var labelEvery = Math.Max(1, categories.Count / 12);
        for (var c = 0; c < categories.Count; c++)
        {
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[c];
                var h = (Height - Top - Bottom) * value / maxY;
                svg.Append(Invariant($"<rect x='{Left + c * slot + s * bar:F1}' y='{Height - Bottom - h:F1}' width='{bar:F1}' height='{h:F1}' fill='{series[s].Color}'><title>{WebUtility.HtmlEncode(categories[c])}: {value}</title></rect>"));
            }
            if (c % labelEvery == 0)
            {
                svg.Append(Invariant($"<text x='{Left + c * slot:F1}' y='{Height - Bottom + 16}'>{WebUtility.HtmlEncode(categories[c])}</text>"));
            }
        }
        foreach (var (s, index) in series.Select((s, i) => (s, i)))
        {
            Legend(svg, index, s.Name, s.Color);
        }
        return Close(svg, xLabel, yLabel);
    }

    private static StringBuilder Open() =>
        new StringBuilder().Append(Invariant($"<svg xmlns='http://www.w3.org/2000/svg' width='{Width}' height='{Height}' font-family='sans-serif' font-size='11'>"))
            .Append(Invariant($"<rect x='{Left}' y='{Top}' width='{Width - Left - Right}' height='{Height - Top - Bottom}' fill='none' stroke='#999'/>"));

    private static string Close(StringBuilder svg, string xLabel, string yLabel) =>
        svg.Append(Invariant($"<text x='{(Width + Left) / 2}' y='{Height - 6}' text-anchor='middle'>{WebUtility.HtmlEncode(xLabel)}</text>"))
            .Append(Invariant($"<text transform='rotate(-90)' x='{-(Height - Bottom + Top) / 2}' y='14' text-anchor='middle'>{WebUtility.HtmlEncode(yLabel)}</text>"))
            .Append("</svg>").ToString();

    private static void Legend(StringBuilder svg, int index, string name, string color) =>
        svg.Append(Invariant($"<rect x='{Left + 10 + index * 170}' y='{Top + 6}' width='12' height='4' fill='{color}'/><text x='{Left + 26 + index * 170}' y='{Top + 12}'>{WebUtility.HtmlEncode(name)}</text>"));

    private static IEnumerable<double> Ticks(double min, double max, bool log)
    {
        if (log)
        {
            for (var t = Math.Pow(10, Math.Floor(Math.Log10(min))); t <= max; t *= 10)
            {
                foreach (var tick in new[] { t, 2 * t, 5 * t }.Where(x => x >= min && x <= max))
                {
                    yield return tick;
                }
            }
            yield break;
        }
        var step = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(max - min, 1e-9) / 5)));
        if ((max - min) / step > 10)
        {
            step *= 2;
        }
        for (var t = Math.Ceiling(min / step) * step; t <= max; t += step)
        {
            yield return t;
        }
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "0" : value >= 1 ? "0.#" : "0.##", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
