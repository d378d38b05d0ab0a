namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Which host runs an app in its container, and so which runtime settings it reads besides the app's own.</summary>
internal enum AppHost
{
    AzureFunctions,
    AspNetCore,
}
