namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>What the tests read of one service in the normalised compose configuration.</summary>
internal sealed record ComposeService(
    string Name,
    string? Image,
    string? BuildContext,
    string? Dockerfile,
    IReadOnlyDictionary<string, string> BuildArguments,
    IReadOnlyList<ComposePort> Ports,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string>? HealthcheckTest,
    IReadOnlyDictionary<string, string> DependsOn,
    string? Hostname,
    IReadOnlyList<string> Volumes);
