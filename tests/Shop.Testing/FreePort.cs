using System.Net.Sockets;

namespace Shop.Testing;

public static class FreePort
{
    /// <summary>A loopback port nothing listens on right now, for an app to bind.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An HTTP address on such a port, for an app to bind.</summary>
    public static Uri Address() => new($"http://127.0.0.1:{Next()}/");

    /// <summary>
    /// An address that refuses connections like a stopped service. Not a free port left unbound: once released, another
    /// test's app may bind that port and answer in its place. Port 1 is below the range the system hands out for port 0,
    /// and no test binds it.
    /// </summary>
    public static Uri Refused { get; } = new("http://127.0.0.1:1/");
}
