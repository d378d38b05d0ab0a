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

    /// <summary>An HTTP address on such a port: for an app to bind, or, left unbound, refused like a stopped service.</summary>
    public static Uri Address() => new($"http://127.0.0.1:{Next()}/");
}
