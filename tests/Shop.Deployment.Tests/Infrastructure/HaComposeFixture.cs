namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Runs <c>docker-compose config</c> on docker-compose.yml with docker-compose.ha.yml merged over it.</summary>
public sealed class HaComposeFixture : ComposeFixture
{
    internal override IReadOnlyList<string> Files => [DockerCompose.FileName, DockerCompose.HaFileName];
}
