using static Shop.IntegrationTests.Auth.AuthProbe;

namespace Shop.IntegrationTests.Auth;

/// <summary>
/// The order socket /ws/orders/{id} in Auth:Mode=Jwt, on the real gateway and apps: only the order's owner's token
/// (<c>?access_token=</c>, or the Authorization header) opens it; anything else closes at once with 4401 (no accepted
/// token) or 4403 (not the owner, or a token naming no user) and the reason, and not one frame of the order.
/// </summary>
public sealed class JwtOrderWebSocketTests(ShopSystem system) : ShopTests
{
    private const int NotAuthenticated = 4401;
    private const int Refused = 4403;

    public static TheoryData<string, int, string> Refusals => new()
    {
        { "no token", NotAuthenticated, SignInFirst },
        { "the owner's ?userId=, no token", NotAuthenticated, SignInFirst },
        { "the owner's ?user_id= and X-User-ID, no token", NotAuthenticated, SignInFirst },
        { "another user's token", Refused, "User {stranger} may not watch order {order}: it is another user's order." },
        { "another user's token naming the owner in ?userId= and X-User-ID", Refused, "User {stranger} may not watch order {order}: it is another user's order." },
        { "the owner's expired token", NotAuthenticated, "The token expired at " },
        { "the owner's token signed with another key", NotAuthenticated, "The token's signature is missing or not valid." },
        { "the owner's claims, unsigned (alg none)", NotAuthenticated, "The token's signature is missing or not valid." },
        { "garbage in ?access_token=", NotAuthenticated, "The token is malformed" },
        { "a valid token whose subject is not a number", Refused, "The token is valid but names no user of this shop" },
    };

    private const string SignInFirst = "Sign in first: send Authorization: Bearer <token>, or ?access_token=<token> on a WebSocket.";

    [Theory]
    [InlineData("ws/orders/{0}?access_token={1}", false)]
    [InlineData("orders/ws/orders/{0}?access_token={1}", false)]
    [InlineData("ws/orders/{0}", true)]
    public async Task The_owners_token_sees_pending_then_paid_and_the_close(string route, bool inHeader)
    {
        var secured = await system.SecuredAsync();
        await LiveStatusClient.WaitForFeedAsync(secured.Gateway);
        var owner = ShopSystem.NewUserId();
        var order = await PendingOrderAsync(owner);
        var token = secured.TokenFor(owner);

        using var socket = await OrderSocketClient.ConnectAsync(secured.Gateway.BaseAddress,
            string.Format(CultureInfo.InvariantCulture, route, order, token), inHeader ? [("Authorization", Bearer(token))] : []);

        await AssertPendingThenPaidAsync(socket, owner, order);
    }

    [Fact]
    public async Task The_websocket_port_asks_for_the_token_too()
    {
        var secured = await system.SecuredAsync();
        var port = FreePort.Next();
        await using var gateway = await secured.StartGatewayAsync(system, $"--OrderWebSocket:Port={port}");
        await LiveStatusClient.WaitForFeedAsync(gateway);
        var socketPort = new Uri($"http://127.0.0.1:{port}/");
        var owner = ShopSystem.NewUserId();
        var order = await PendingOrderAsync(owner);

        using var anonymous = await OrderSocketClient.ConnectAsync(socketPort, $"ws/orders/{order}?userId={owner}");
        var refused = await OrderSocketClient.ReadUntilClosedAsync(anonymous);
        using var owners = await OrderSocketClient.ConnectAsync(socketPort, $"ws/orders/{order}?access_token={secured.TokenFor(owner)}");

        Assert.Empty(refused);
        Assert.Equal(NotAuthenticated, (int)anonymous.CloseStatus!.Value);
        Assert.Equal(SignInFirst, anonymous.CloseStatusDescription);
        await AssertPendingThenPaidAsync(owners, owner, order);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_socket_without_the_owners_token_closes_with_the_reason_and_no_frame(string how, int code, string reason)
    {
        var secured = await system.SecuredAsync();
        var owner = ShopSystem.NewUserId();
        var stranger = ShopSystem.NewUserId();
        var order = await PendingOrderAsync(owner);
        var (query, headers) = Credentials(how, secured, owner, stranger);

        using var socket = await OrderSocketClient.ConnectAsync(secured.Gateway.BaseAddress, $"ws/orders/{order}{query}", headers);
        var frames = await OrderSocketClient.ReadUntilClosedAsync(socket);

        Assert.Empty(frames);
        Assert.Equal(code, (int)socket.CloseStatus!.Value);
        Assert.StartsWith(reason.Replace("{stranger}", Id(stranger), StringComparison.Ordinal).Replace("{order}", order.ToString(), StringComparison.Ordinal),
            socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_order_is_4401_without_a_token_and_4404_with_one()
    {
        var secured = await system.SecuredAsync();
        var unknown = Guid.CreateVersion7();

        using var anonymous = await OrderSocketClient.ConnectAsync(secured.Gateway.BaseAddress, $"ws/orders/{unknown}");
        await OrderSocketClient.ReadUntilClosedAsync(anonymous);
        using var signedIn = await OrderSocketClient.ConnectAsync(secured.Gateway.BaseAddress,
            $"ws/orders/{unknown}?access_token={secured.TokenFor(ShopSystem.NewUserId())}");
        await OrderSocketClient.ReadUntilClosedAsync(signedIn);

        // Without a token the gateway says nothing about the id, not even whether an order has it.
        Assert.Equal(NotAuthenticated, (int)anonymous.CloseStatus!.Value);
        Assert.Equal(4404, (int)signedIn.CloseStatus!.Value);
        Assert.Equal($"Order {unknown} does not exist.", signedIn.CloseStatusDescription);
    }

    /// <summary>A pending order whose OrderCreated never left: it stays PENDING until <see cref="PayAsync"/> publishes its result.</summary>
    private async Task<Guid> PendingOrderAsync(long owner)
    {
        var order = Guid.CreateVersion7();
        await system.OrdersDb.ExecuteAsync(
            "INSERT INTO orders (id, user_id, amount, status, created_at, updated_at) VALUES ($1, $2, 20, 'PENDING', now(), now())", order, owner);
        return order;
    }

    private async Task PayAsync(long owner, Guid order)
    {
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        await broker.PublishAsync(ShopTopology.PaymentsExchange, "payment.completed", nameof(PaymentCompleted),
            $"{{\"orderId\":\"{order}\",\"userId\":{Id(owner)},\"amount\":20}}", correlationId: order);
    }

    private async Task AssertPendingThenPaidAsync(ClientWebSocket socket, long owner, Guid order)
    {
        var first = await OrderSocketClient.ReadFrameAsync(socket);
        Assert.NotNull(first);
        Assert.Equal("PENDING", first.Value.GetProperty("status").GetString());
        Assert.Equal(order, first.Value.GetProperty("orderId").GetGuid());

        await PayAsync(owner, order);
        var rest = await OrderSocketClient.ReadUntilClosedAsync(socket);

        Assert.Equal("PAID", Assert.Single(rest).GetProperty("status").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal($"Order {order} is PAID.", socket.CloseStatusDescription);
    }

    private static (string Query, (string, string)[] Headers) Credentials(string how, SecuredShop secured, long owner, long stranger)
    {
        var key = Convert.FromBase64String(secured.SigningKey);
        return how switch
        {
            "no token" => ("", []),
            "the owner's ?userId=, no token" => ($"?userId={Id(owner)}", []),
            "the owner's ?user_id= and X-User-ID, no token" => ($"?user_id={Id(owner)}", [("X-User-ID", Id(owner))]),
            "another user's token" => ($"?access_token={secured.TokenFor(stranger)}", []),
            "another user's token naming the owner in ?userId= and X-User-ID" =>
                ($"?access_token={secured.TokenFor(stranger)}&userId={Id(owner)}", [("X-User-ID", Id(owner))]),
            "the owner's expired token" => ("?access_token=" + ForgedToken.Sign(key,
                ForgedToken.Claims(owner, expiresIn: TimeSpan.FromHours(-1), notBeforeIn: TimeSpan.FromHours(-2))), []),
            "the owner's token signed with another key" => ("?access_token=" + ForgedToken.Sign(
                Convert.FromBase64String(Shop.Identity.SigningKey.Generate()), ForgedToken.Claims(owner)), []),
            "the owner's claims, unsigned (alg none)" => ("?access_token=" + ForgedToken.Unsigned(ForgedToken.Claims(owner)), []),
            "garbage in ?access_token=" => ("?access_token=not-a-token", []),
            "a valid token whose subject is not a number" => ("?access_token=" + ForgedToken.Sign(key, ForgedToken.Claims(owner).With("sub", "someone")), []),
            _ => throw new ArgumentException(how, nameof(how)),
        };
    }
}
