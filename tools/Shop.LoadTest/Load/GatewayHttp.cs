namespace Shop.LoadTest.Load;

/// <summary>The load's one HTTP client to the gateway: connections pooled without a cap, no proxy, 30 s per request.</summary>
public static class GatewayHttp
{
    public static HttpClient Create(Uri gateway)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = int.MaxValue,
            UseProxy = false,
        };
        return new HttpClient(handler) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
    }
}
