namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>
/// Publishes both function apps once, as their Dockerfiles do (Release, no app host), into a temporary folder.
/// Builds go to their own artifacts folder so they never touch the bin/obj folders other tests run from.
/// </summary>
public sealed class PublishFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"shop-publish-{Guid.NewGuid():N}");
    private readonly Dictionary<string, ProcessResult> _results = new(StringComparer.Ordinal);

    internal string OutputOf(DotnetApp app) => Path.Combine(_root, "out", app.Service);

    internal ProcessResult ResultOf(DotnetApp app) => _results[app.Service];

    public async Task InitializeAsync()
    {
        // One at a time: both apps build the same building blocks.
        foreach (var app in DotnetApp.FunctionApps)
        {
            _results[app.Service] = await ProcessRunner.RunAsync(
                "dotnet",
                ["publish", RepositoryRoot.Combine(app.ProjectPath), "-c", "Release", "-o", OutputOf(app),
                    "--artifacts-path", Path.Combine(_root, "artifacts"), "-p:UseAppHost=false", "--nologo",
                    // Leave no MSBuild node or compiler server running after the tests.
                    "-nodeReuse:false", "-p:UseSharedCompilation=false"],
                RepositoryRoot.Path,
                TimeSpan.FromMinutes(8));
        }
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}
