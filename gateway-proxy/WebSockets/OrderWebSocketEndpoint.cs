using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Gateway.Problems;

namespace Shop.Gateway.WebSockets;

/// <summary>
/// <c>/ws/orders/{id}</c>: a plain WebSocket that sends the order's status as JSON (<see cref="OrderStatusFrame"/>) at
/// once and on every change, and closes after the final status (PAID or FAILED). It starts collecting the feed's
/// changes before it reads the order, so a change in between is not missed, and sends each status once.
/// </summary>
public sealed class OrderWebSocketEndpoint(
    OrderWatchers watchers,
    OrderLookup lookup,
    IOrderWatchPolicy policy,
    IOptions<OrderWebSocketOptions> options,
    ILogger<OrderWebSocketEndpoint> logger)
{
    /// <summary>Close codes beside the standard ones: 4404 no such order, 4403 this client may not watch it.</summary>
    public const WebSocketCloseStatus OrderNotFound = (WebSocketCloseStatus)4404;
    public const WebSocketCloseStatus WatchRefused = (WebSocketCloseStatus)4403;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    public async Task HandleAsync(HttpContext context, string id)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.Headers.Upgrade = "websocket";
            await GatewayProblem.WriteAsync(context, StatusCodes.Status426UpgradeRequired, "Upgrade Required",
                $"{context.Request.Path} is a WebSocket: open it with new WebSocket('ws://…{context.Request.Path}').");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var aborted = context.RequestAborted;
        if (!Guid.TryParse(id, out var orderId))
        {
            await CloseAsync(socket, OrderNotFound, $"Order '{Shorten(id, 40)}' does not exist: an order id is a UUID.", aborted);
            return;
        }

        using var watch = watchers.Start(orderId);
        OrderSnapshot? order;
        try
        {
            order = await lookup.FindAsync(orderId, aborted);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            WebSocketLog.LookupFailed(logger, exception, orderId);
            await CloseAsync(socket, WebSocketCloseStatus.InternalServerError, "The order service is unavailable; try again shortly.", aborted);
            return;
        }
        if (order is null)
        {
            WebSocketLog.Refused(logger, orderId, "no such order");
            await CloseAsync(socket, OrderNotFound, $"Order {orderId} does not exist.", aborted);
            return;
        }
        var decision = await policy.DecideAsync(context, order, aborted);
        if (!decision.Allowed)
        {
            WebSocketLog.Refused(logger, orderId, decision.Reason);
            await CloseAsync(socket, WatchRefused, decision.Reason, aborted);
            return;
        }

        WebSocketLog.Watching(logger, orderId, order.Status);
        await WatchAsync(socket, order, watch, aborted);
    }

    private async Task WatchAsync(WebSocket socket, OrderSnapshot order, OrderWatchers.Watch watch, CancellationToken aborted)
    {
        // The client only listens; reading still notices its close frame (or a dropped connection) at once.
        using var clientGone = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var reading = DrainAsync(socket, clientGone);
        try
        {
            var sent = order;
            await SendAsync(socket, sent, clientGone.Token);
            while (!sent.IsFinal)
            {
                var next = await NextAsync(sent, watch, clientGone.Token);
                if (next.Status != sent.Status)
                {
                    sent = next;
                    await SendAsync(socket, sent, clientGone.Token);
                }
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, $"Order {sent.Id} is {sent.Status}.", clientGone.Token);
            // The reader sees the client's close frame, which completes the closing handshake.
            clientGone.CancelAfter(CloseTimeout);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The client left; nothing to tell it.
            await clientGone.CancelAsync();
        }
        await reading;
    }

    /// <summary>The order after the next change the feed brings, or as Orders serves it when the refresh interval passes first.</summary>
    private async Task<OrderSnapshot> NextAsync(OrderSnapshot current, OrderWatchers.Watch watch, CancellationToken cancellationToken)
    {
        using var refresh = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        refresh.CancelAfter(options.Value.RefreshInterval);
        try
        {
            var change = await watch.Changes.ReadAsync(refresh.Token);
            return Apply(current, change);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                return await lookup.FindAsync(current.Id, cancellationToken) ?? current;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The feed may still bring the change; keep waiting.
                WebSocketLog.LookupFailed(logger, exception, current.Id);
                return current;
            }
        }
    }

    private static OrderSnapshot Apply(OrderSnapshot order, OrderStatusChanged change) =>
        order with { Status = change.Status, Reason = change.Reason, UpdatedAt = change.ChangedAt };

    private static Task SendAsync(WebSocket socket, OrderSnapshot order, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(OrderStatusFrame.From(order), Json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource clientGone)
    {
        var buffer = new byte[256];
        try
        {
            while (!clientGone.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, clientGone.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
        }
        await clientGone.CancelAsync();
    }

    /// <summary>Refuses the socket: sends the close frame and waits a moment for the client's, so it sees the code and reason.</summary>
    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CloseTimeout);
        try
        {
            // A close reason is at most 123 bytes of UTF-8.
            await socket.CloseAsync(status, Shorten(reason, 123), timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The client went away first.
        }
    }

    private static string Shorten(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }
        while (Encoding.UTF8.GetByteCount(text) > maxBytes - 3)
        {
            text = text[..^1];
        }
        return text + "…";
    }
}
