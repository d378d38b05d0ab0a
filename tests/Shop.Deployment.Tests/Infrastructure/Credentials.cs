namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Tells settings that carry a credential, by their name or by what their value holds.</summary>
internal static partial class Credentials
{
    public static bool IsCredential(string key, string value) =>
        key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
        || key == "AzureWebJobsStorage"
        || SecretName().IsMatch(key.Split("__")[^1])
        || SecretValue().IsMatch(value);

    [GeneratedRegex("(?i)(password|secret|token|key)$")]
    private static partial Regex SecretName();

    // A password or account key in a connection string, or user:password in a URI.
    [GeneratedRegex("(?i)(password=|accountkey=|sharedaccesskey=|://[^/@:\\s]+:[^/@\\s]+@)")]
    private static partial Regex SecretValue();
}
