namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>The checkout these tests run from: the nearest folder above the test binaries that holds Shop.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] relative) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine([Path, .. relative]));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Shop.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Shop.sln.");
    }
}
