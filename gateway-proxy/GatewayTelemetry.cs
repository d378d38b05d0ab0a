using System.Diagnostics;

namespace Shop.Gateway;

/// <summary>The gateway's own spans; ASP.NET Core and YARP's forwarding calls are traced by their instrumentation.</summary>
public static class GatewayTelemetry
{
    public const string SourceName = "Shop.Gateway";

    internal static readonly ActivitySource Source = new(SourceName);

    public static string PushSpanName(string method) => $"{method} push";
}
