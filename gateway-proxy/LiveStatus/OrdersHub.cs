using Microsoft.AspNetCore.SignalR;

namespace Shop.Gateway.LiveStatus;

/// <summary>Pushes status changes of the caller's own orders; clients only listen.</summary>
public sealed class OrdersHub(ILogger<OrdersHub> logger) : Hub
{
    public const string Path = "/hubs/orders";

    /// <summary>The client method every status change calls, with an <see cref="OrderStatusNotification"/>.</summary>
    public const string StatusChangedMethod = "orderStatusChanged";

    public override async Task OnConnectedAsync()
    {
        // HubUserMiddleware has refused requests without a user; this guards a hub mapped without it.
        if (!HubUser.TryGetUserId(Context.User, out var userId))
        {
            Context.Abort();
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, HubUser.Group(userId), Context.ConnectionAborted);
        GatewayLog.HubConnected(logger, Context.ConnectionId, userId);
        await base.OnConnectedAsync();
    }
}
