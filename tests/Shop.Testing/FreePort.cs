using System.Net;
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
}
