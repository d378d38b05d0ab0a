using Microsoft.AspNetCore.SignalR.Client;

namespace Shop.LoadTest.Load;

/// <summary>
/// Watches the gateway's hub as a browser does: one connection per user (<c>/hubs/orders?userId=N</c>, or with the
/// user's token in Jwt mode), each
/// pushed the status changes of that user's orders; a final status is timed when it arrives here.
/// </summary>
public sealed class LiveStatusWitness : IAsyncDisposable
{
    public const string HubPath = "hubs/orders";
    public const string StatusChangedMethod = "orderStatusChanged";

    private readonly List<HubConnection> _connections = [];

    public int Connected => _connections.Count(c => c.State == HubConnectionState.Connected);

    /// <summary>Connects every user, or returns null (with why) when the gateway has no hub.</summary>
    public static async Task<(LiveStatusWitness? Witness, string? Problem)> ConnectAsync(
        Uri gateway, UserCredentials credentials, IReadOnlyList<long> users, OrderBook book, RunClock clock, CancellationToken cancellationToken)
    {
        var witness = new LiveStatusWitness();
        try
        {
            using var gate = new SemaphoreSlim(16);
            await Task.WhenAll(users.Select(async user =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var connection = new HubConnectionBuilder()
                        .WithUrl(new Uri(gateway, HubPath + credentials.HubQuery(user)), options =>
                        {
                            if (credentials.UsesTokens)
                            {
                                options.AccessTokenProvider = () => Task.FromResult(credentials.TokenFor(user));
                            }
                        })
                        .Build();
                    connection.On<StatusChange>(StatusChangedMethod, change => book.Pushed(change.OrderId, change.Status, clock.NowMs));
                    lock (witness._connections)
                    {
                        witness._connections.Add(connection);
                    }
                    await connection.StartAsync(cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }));
            return (witness, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TimeoutException)
        {
            await witness.DisposeAsync();
            return (null, $"no SignalR hub at {new Uri(gateway, HubPath)} ({exception.Message})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_connections.Select(c => c.DisposeAsync().AsTask()));
        _connections.Clear();
    }

    /// <summary>The hub's <c>orderStatusChanged</c> payload.</summary>
    public sealed record StatusChange(Guid OrderId, long UserId, string Status, string? Reason, DateTimeOffset ChangedAt);
}
