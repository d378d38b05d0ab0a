using System.Net;
using System.Net.Sockets;

namespace Shop.Gateway.Tests.Infrastructure;

internal static class UnusedPort
{
    /// <summary>An address nothing listens on, so connecting to it is refused like a stopped service.</summary>
    public static Uri Address()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
