namespace Shop.IntegrationTests.Browser;

/// <summary>Folders of the repository the tests read from or write to.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string StaticSite => Path.Combine(Root, "static-site", "public");

    /// <summary>Where the browser tests leave their screenshots: artifacts/screenshots/ (ignored by git).</summary>
    public static string Screenshots => Path.Combine(Root, "artifacts", "screenshots");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException($"No Shop.sln above {AppContext.BaseDirectory}.");
    }
}
