using System.Net.WebSockets;

namespace Shop.Gateway.Tests;

/// <summary>The optional second port (OrderWebSocket:Port, 8001 in scripts/run.sh and compose) and the socket's handshake rules.</summary>
public sealed class OrderWebSocketListenerTests
{
    [Fact]
    public async Task The_socket_route_is_served_on_the_main_port_and_a_plain_request_gets_426()
    {
        await using var gateway = await GatewayHost.StartAsync(FreePort.Address(), FreePort.Address());

        Assert.Equal(HttpStatusCode.UpgradeRequired, (await gateway.Client.GetAsync($"/ws/orders/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task The_extra_port_serves_the_socket_route_and_answers_anything_else_with_a_404_problem()
    {
        var port = FreePort.Address().Port;
        await using var gateway = await GatewayHost.StartAsync(FreePort.Address(), FreePort.Address(), $"OrderWebSocket:Port={port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var socketRoute = await client.GetAsync($"/ws/orders/{Guid.NewGuid()}");
        using var other = await client.GetAsync("/orders/orders");

        Assert.Equal(HttpStatusCode.UpgradeRequired, socketRoute.StatusCode);
        Assert.Equal("websocket", socketRoute.Headers.Upgrade.ToString());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_page_origin_the_gateway_does_not_allow_cannot_open_the_socket()
    {
        await using var gateway = await GatewayHost.StartAsync(FreePort.Address(), FreePort.Address());
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");
        var address = new UriBuilder(new Uri(gateway.Client.BaseAddress!, $"/ws/orders/{Guid.NewGuid()}")) { Scheme = "ws" }.Uri;

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(address, CancellationToken.None));

        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_orders_cannot_be_reached_the_socket_closes_with_a_reason()
    {
        await using var gateway = await GatewayHost.StartAsync(FreePort.Address(), FreePort.Address());
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(new Uri(gateway.Client.BaseAddress!, $"/ws/orders/{Guid.NewGuid()}")) { Scheme = "ws" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await socket.ConnectAsync(address, timeout.Token);
        var received = await socket.ReceiveAsync(new byte[256], timeout.Token);

        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, socket.CloseStatus);
        Assert.Equal("The order service is unavailable; try again shortly.", socket.CloseStatusDescription);
    }
}
