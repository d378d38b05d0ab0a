namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>One published port: host address (empty for every interface), host port, container port.</summary>
internal sealed record ComposePort(string HostIp, int Published, int Target)
{
    public override string ToString() => HostIp.Length == 0 ? $"{Published}:{Target}" : $"{HostIp}:{Published}:{Target}";

    /// <summary>Reads the short form, e.g. <c>8000:8000</c> or <c>127.0.0.1:5432:5432/tcp</c>.</summary>
    public static ComposePort Parse(string value)
    {
        var parts = value.Split('/')[0].Split(':');
        return parts.Length switch
        {
            2 => new ComposePort("", int.Parse(parts[0]), int.Parse(parts[1])),
            3 => new ComposePort(parts[0], int.Parse(parts[1]), int.Parse(parts[2])),
            _ => throw new FormatException($"'{value}' is not a host:container port mapping."),
        };
    }
}
