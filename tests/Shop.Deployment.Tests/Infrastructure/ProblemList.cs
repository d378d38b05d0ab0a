namespace Shop.Deployment.Tests.Infrastructure;

internal static class ProblemList
{
    /// <summary>Passes when a check found nothing; otherwise fails with what it found, one a line.</summary>
    public static void AssertEmpty(IReadOnlyCollection<string> problems) =>
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

    /// <summary>Passes when one of the problems found contains <paramref name="containing"/>.</summary>
    public static void AssertReported(IEnumerable<string> problems, string containing) =>
        Assert.Contains(problems, p => p.Contains(containing, StringComparison.Ordinal));

    /// <summary>Passes when one of the problems found starts with <paramref name="startingWith"/> and contains <paramref name="containing"/>.</summary>
    public static void AssertReported(IEnumerable<string> problems, string startingWith, string containing) =>
        Assert.Contains(problems, p => p.StartsWith(startingWith, StringComparison.Ordinal) && p.Contains(containing, StringComparison.Ordinal));
}
