namespace Shop.FaultTests.Audit;

/// <summary>The audit's figures, written to the test output and to a file under artifacts/ as they are gathered.</summary>
public sealed class AuditReport(ITestOutputHelper output, string file)
{
    private readonly List<string> _lines = [];

    public void Line(FormattableString line)
    {
        var text = line.ToString(CultureInfo.InvariantCulture);
        lock (_lines)
        {
            _lines.Add(text);
        }
        output.WriteLine(text);
    }

    public void Figure(string name, object? value) => Line($"  {name,-46} {value}");

    public async Task SaveAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        string[] lines;
        lock (_lines)
        {
            lines = [.. _lines];
        }
        await File.WriteAllLinesAsync(file, lines);
    }
}
