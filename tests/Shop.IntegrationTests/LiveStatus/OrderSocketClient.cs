namespace Shop.IntegrationTests.LiveStatus;

/// <summary>A plain WebSocket client of the order socket /ws/orders/{id}, as the original system's page opens it.</summary>
public static class OrderSocketClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <param name="baseAddress">The gateway (or its WebSocket port), as http://host:port/.</param>
    /// <param name="headers">Handshake headers (X-User-ID, Authorization), which a browser could not send.</param>
    public static async Task<ClientWebSocket> ConnectAsync(Uri baseAddress, string pathAndQuery, params (string Name, string Value)[] headers)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }
        var address = new UriBuilder(new Uri(baseAddress, pathAndQuery)) { Scheme = "ws" }.Uri;
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(address, timeout.Token);
        return socket;
    }

    /// <summary>The next text frame as JSON, or null when the server closes instead (the closing handshake is then completed).</summary>
    public static async Task<JsonElement?> ReadFrameAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
                return null;
            }
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
            }
        }
    }

    /// <summary>Every text frame until the server closes, then completes the closing handshake.</summary>
    public static async Task<List<JsonElement>> ReadUntilClosedAsync(ClientWebSocket socket)
    {
        var frames = new List<JsonElement>();
        while (await ReadFrameAsync(socket) is { } frame)
        {
            frames.Add(frame);
        }
        return frames;
    }
}
