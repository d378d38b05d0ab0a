namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>The HTTP endpoint a compose health check asks: <c>GET /health</c> over bash's /dev/tcp, or a wget/curl URL.</summary>
internal sealed partial record ComposeHealthcheck(int Port, string Path)
{
    public override string ToString() => $"GET :{Port}{Path}";

    public static ComposeHealthcheck? Of(ComposeService service)
    {
        var command = string.Join(' ', service.HealthcheckTest ?? []);
        var tcp = DevTcp().Match(command);
        if (tcp.Success)
        {
            return new ComposeHealthcheck(int.Parse(tcp.Groups["port"].Value), tcp.Groups["path"].Value);
        }

        var url = Url().Match(command);
        return url.Success ? new ComposeHealthcheck(int.Parse(url.Groups["port"].Value), url.Groups["path"].Value) : null;
    }

    [GeneratedRegex(@"/dev/tcp/127\.0\.0\.1/(?<port>\d+).*GET (?<path>/\S*) HTTP/1\.1")]
    private static partial Regex DevTcp();

    [GeneratedRegex(@"https?://(127\.0\.0\.1|localhost):(?<port>\d+)(?<path>/\S*)")]
    private static partial Regex Url();
}
