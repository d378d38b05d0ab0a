namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Where a container's environment variable is set: in the manifest itself, a ConfigMap or a Secret.</summary>
internal enum EnvironmentSource
{
    Literal,
    ConfigMap,
    Secret,
}
