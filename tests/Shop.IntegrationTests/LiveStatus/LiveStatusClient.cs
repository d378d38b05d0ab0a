namespace Shop.IntegrationTests.LiveStatus;

/// <summary>A SignalR .NET client of one user on one gateway instance, recording every status change it is pushed.</summary>
public sealed class LiveStatusClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly ConcurrentQueue<OrderStatusNotification> _received = new();

    private LiveStatusClient(HubConnection connection)
    {
        _connection = connection;
        _connection.On<OrderStatusNotification>(OrdersHub.StatusChangedMethod, _received.Enqueue);
    }

    public IReadOnlyList<OrderStatusNotification> Received => [.. _received];

    public static HubConnection Build(AppInstance gateway, long? userId, bool asQuery = false) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(gateway.BaseAddress, asQuery && userId is not null ? $"hubs/orders?userId={userId}" : "hubs/orders"), options =>
            {
                if (!asQuery && userId is not null)
                {
                    options.Headers["X-User-ID"] = userId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            })
            .Build();

    /// <summary>Connects once the gateway's feed consumes, so no event the test causes can pass before it.</summary>
    public static async Task<LiveStatusClient> ConnectAsync(AppInstance gateway, long userId, bool asQuery = false)
    {
        await WaitForFeedAsync(gateway);
        return await StartAsync(Build(gateway, userId, asQuery));
    }

    /// <summary>Starts a connection the test built (with a token, say) and records what it is pushed.</summary>
    public static async Task<LiveStatusClient> StartAsync(HubConnection connection)
    {
        var client = new LiveStatusClient(connection);
        await connection.StartAsync();
        return client;
    }

    public static Task WaitForFeedAsync(AppInstance gateway)
    {
        var feed = gateway.Services.GetServices<IHostedService>().OfType<OrderStatusFeed>().Single();
        return Eventually.UntilAsync(() => Task.FromResult(feed.IsConsuming), consuming => consuming, $"the feed of gateway {gateway.BaseAddress} to consume");
    }

    public Task<OrderStatusNotification> WaitForAsync(Guid orderId, string status) =>
        Eventually.UntilAsync(
            () => Task.FromResult(_received.FirstOrDefault(n => n.OrderId == orderId && n.Status == status)),
            notification => notification is not null,
            $"{status} of order {orderId} to be pushed")!;

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
