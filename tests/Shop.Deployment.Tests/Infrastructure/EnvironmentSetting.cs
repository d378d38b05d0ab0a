namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>One environment variable of a container as Kubernetes resolves it, and where its value comes from.</summary>
internal sealed record EnvironmentSetting(string Name, string? Value, EnvironmentSource Source, string Origin);
