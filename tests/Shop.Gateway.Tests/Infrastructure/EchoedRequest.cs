namespace Shop.Gateway.Tests.Infrastructure;

/// <summary>What a stand-in backend saw of the request the gateway forwarded to it.</summary>
internal sealed record EchoedRequest(
    string Service,
    string Method,
    string Path,
    string QueryString,
    Dictionary<string, string> Headers,
    string Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
