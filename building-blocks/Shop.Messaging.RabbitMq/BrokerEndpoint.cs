using System.Globalization;

namespace Shop.Messaging.RabbitMq;

/// <summary>One RabbitMQ node to connect to.</summary>
public sealed record BrokerEndpoint(string Host, int Port)
{
    /// <summary>Where every service reads the cluster's nodes (environment <c>RabbitMq__Endpoints</c>).</summary>
    public const string ConfigurationKey = "RabbitMq:Endpoints";

    /// <summary>
    /// Reads <c>host:port,host:port,…</c> (an IPv6 host in brackets; a missing port is <paramref name="defaultPort"/>).
    /// Empty or blank means no list: connect to the host of the connection string.
    /// </summary>
    /// <returns>Null when <paramref name="error"/> says what is wrong.</returns>
    public static IReadOnlyList<BrokerEndpoint>? TryParseList(string? value, int defaultPort, out string? error)
    {
        error = null;
        var endpoints = new List<BrokerEndpoint>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return endpoints;
        }
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (TryParse(item, defaultPort) is { } endpoint)
            {
                endpoints.Add(endpoint);
                continue;
            }
            error = $"{ConfigurationKey} must be comma-separated host:port pairs such as 10.0.0.1:5672,10.0.0.2:5672; '{item}' is not one.";
            return null;
        }
        return endpoints;
    }

    private static BrokerEndpoint? TryParse(string item, int defaultPort)
    {
        string host;
        string? port = null;
        if (item.StartsWith('['))
        {
            var close = item.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return null;
            }
            host = item[1..close];
            var rest = item[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return null;
                }
                port = rest[1..];
            }
        }
        else
        {
            var colon = item.LastIndexOf(':');
            host = colon < 0 ? item : item[..colon];
            port = colon < 0 ? null : item[(colon + 1)..];
        }
        if (host.Length == 0 || host.Contains(':', StringComparison.Ordinal) && !item.StartsWith('[') || host.Any(char.IsWhiteSpace))
        {
            return null;
        }
        if (port is null)
        {
            return new BrokerEndpoint(host, defaultPort);
        }
        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? new BrokerEndpoint(host, number)
            : null;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
