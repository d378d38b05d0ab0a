namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Runs <c>docker-compose config</c> on docker-compose.yml once for the compose tests.</summary>
public class ComposeFixture : IAsyncLifetime
{
    /// <summary>The compose files, in the order they are merged.</summary>
    internal virtual IReadOnlyList<string> Files => [DockerCompose.FileName];

    internal ProcessResult Result { get; private set; } = null!;

    internal ComposeConfiguration Configuration => Result.ExitCode == 0
        ? ComposeConfiguration.Parse(Result.StandardOutput)
        : throw new InvalidOperationException(Result.Describe());

    public async Task InitializeAsync() => Result = await DockerCompose.ConfigAsync(Files);

    public Task DisposeAsync() => Task.CompletedTask;
}
