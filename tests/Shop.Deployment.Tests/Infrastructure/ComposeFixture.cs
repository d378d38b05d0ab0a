namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Runs <c>docker-compose config</c> once for the compose tests.</summary>
public sealed class ComposeFixture : IAsyncLifetime
{
    internal ProcessResult Result { get; private set; } = null!;

    internal ComposeConfiguration Configuration => Result.ExitCode == 0
        ? ComposeConfiguration.Parse(Result.StandardOutput)
        : throw new InvalidOperationException(Result.Describe());

    public async Task InitializeAsync() => Result = await DockerCompose.ConfigAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
