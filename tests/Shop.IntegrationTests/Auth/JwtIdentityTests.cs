using static Shop.IntegrationTests.Auth.AuthProbe;

namespace Shop.IntegrationTests.Auth;

/// <summary>
/// Auth:Mode=Jwt through the real gateway to the real apps (which ask the gateway for their function key): only an
/// accepted token names a user, the user is its subject and nothing the client writes elsewhere.
/// </summary>
public sealed class JwtIdentityTests(ShopSystem system) : ShopTests
{
    public static TheoryData<string> RefusedTokens => new(
        "no Authorization header", "Bearer with no token", "garbage", "three garbage parts", "expired", "not yet valid",
        "signed with another key", "claims changed after signing", "wrong issuer", "wrong audience", "alg none",
        "HS512 with the right key", "no expiry", "subject as a list", "Basic credentials", "two bearer tokens", "token in the query instead of the header");

    // Requests that carry no bearer token at all get the bare challenge; the others are told the token is invalid (RFC 6750 §3.1).
    private static readonly string[] WithoutToken = ["no Authorization header", "Bearer with no token", "Basic credentials", "token in the query instead of the header"];

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task A_request_without_an_accepted_token_is_a_401_problem_with_a_bearer_challenge_and_writes_nothing(string token)
    {
        var secured = await system.SecuredAsync();
        var user = ShopSystem.NewUserId();
        var other = ShopSystem.NewUserId();
        var (authorization, query) = Refused(token, secured, user, other);

        foreach (var (method, path, json) in Routes())
        {
            using var request = Request(method, path + query, authorization, json, userHeader: Id(user));
            using var response = await secured.Http.SendAsync(request);

            await AssertProblemAsync(response, HttpStatusCode.Unauthorized, $"{token}: {method} {path}");
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            if (WithoutToken.Contains(token))
            {
                Assert.Null(challenge.Parameter);
            }
            else
            {
                Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
            }
        }

        Assert.Equal((0, 0, 0, 0), await RowsAsync(system, user));
        Assert.Equal((0, 0, 0, 0), await RowsAsync(system, other));
    }

    [Theory]
    [InlineData("expired", "expired at")]
    [InlineData("not yet valid", "not valid before")]
    [InlineData("signed with another key", "signature")]
    [InlineData("wrong issuer", "issuer")]
    [InlineData("wrong audience", "audience")]
    [InlineData("alg none", "signature")]
    [InlineData("HS512 with the right key", "signature")]
    [InlineData("no expiry", "no expiry")]
    [InlineData("no Authorization header", "Sign in")]
    public async Task The_problem_says_in_plain_words_why_the_token_is_refused(string token, string says)
    {
        var secured = await system.SecuredAsync();
        var (authorization, query) = Refused(token, secured, ShopSystem.NewUserId(), ShopSystem.NewUserId());

        using var response = await secured.Http.SendAsync(Request(HttpMethod.Get, "/payments/account/balance" + query, authorization));

        var detail = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, token);
        Assert.True(detail.Contains(says, StringComparison.Ordinal), $"{token}: '{says}' is not in: {detail}");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-7")]
    [InlineData("1.5")]
    [InlineData(" 42")]
    [InlineData("99999999999999999999")]
    [InlineData("6f9619ff-8b86-d011-b42d-00c04fc964ff")]
    [InlineData("no sub")]
    public async Task A_valid_token_whose_subject_is_not_a_positive_integer_is_a_403_problem_and_writes_nothing(string subject)
    {
        var secured = await system.SecuredAsync();
        var named = ShopSystem.NewUserId();
        object? sub = subject == "no sub" ? null : subject;
        var token = ForgedToken.Sign(Convert.FromBase64String(secured.SigningKey), ForgedToken.Claims(named).With("sub", sub));

        foreach (var (method, path, json) in Routes())
        {
            using var response = await secured.Http.SendAsync(Request(method, path, Bearer(token), json, userHeader: Id(named)));

            var detail = await AssertProblemAsync(response, HttpStatusCode.Forbidden, $"sub {subject}: {method} {path}");
            Assert.Contains("positive integer", detail, StringComparison.Ordinal);
        }

        Assert.Equal((0, 0, 0, 0), await RowsAsync(system, named));
        Assert.Equal((0, 0, 0, 0), await RowsAsync(system, named + 1));
    }

    [Fact]
    public async Task A_valid_token_for_A_with_X_User_ID_B_acts_as_A_only_and_leaves_B_untouched()
    {
        var secured = await system.SecuredAsync();
        var a = ShopSystem.NewUserId();
        var b = ShopSystem.NewUserId();
        // B's own money and order, written through the Header-mode gateway.
        await system.Client.TopUpAsync(b, 700);
        var bOrder = await system.Client.PlaceOrderAsync(b, 100);
        await system.Client.WaitForFinalStatusAsync(b, bOrder.Id);
        var bBefore = await SnapshotAsync(b);
        var token = Bearer(secured.TokenFor(a));

        var opened = await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/payments/account", token, userHeader: Id(b))), HttpStatusCode.OK);
        var toppedUp = await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", token, "{\"amount\":500}", Id(b))), HttpStatusCode.OK);
        var placed = await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/orders/orders", token, "{\"amount\":200}", Id(b))), HttpStatusCode.Created);
        var orderId = placed.GetProperty("id").GetGuid();
        var final = await Eventually.UntilAsync(
            async () => await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Get, $"/orders/orders/{orderId}", token, userHeader: Id(b))), HttpStatusCode.OK),
            order => order.GetProperty("status").GetString() != "PENDING", $"order {orderId} of user {a} to become final");
        var listed = await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Get, "/orders/orders", token, userHeader: Id(b))), HttpStatusCode.OK);
        var balance = await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Get, "/payments/account/balance", token, userHeader: Id(b))), HttpStatusCode.OK);
        using var bOrderAsA = await secured.Http.SendAsync(Request(HttpMethod.Get, $"/orders/orders/{bOrder.Id}", token, userHeader: Id(b)));

        Assert.Equal(a, opened.GetProperty("userId").GetInt64());
        Assert.Equal(a, toppedUp.GetProperty("userId").GetInt64());
        Assert.Equal(500, toppedUp.GetProperty("balance").GetInt64());
        Assert.Equal(a, placed.GetProperty("userId").GetInt64());
        Assert.Equal("PAID", final.GetProperty("status").GetString());
        Assert.Equal([orderId], listed.EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
        Assert.Equal(300, balance.GetProperty("balance").GetInt64());
        Assert.Equal(a, balance.GetProperty("userId").GetInt64());
        await AssertProblemAsync(bOrderAsA, HttpStatusCode.NotFound, "B's order read with A's token");
        Assert.Equal(bBefore, await SnapshotAsync(b));
        Assert.Equal((1, 1, 2, 300), await RowsAsync(system, a));
    }

    [Theory]
    [InlineData("X-User-ID header")]
    [InlineData("x-user-id in lower case")]
    [InlineData("X_User_ID with underscores")]
    [InlineData("two X-User-ID headers")]
    [InlineData("X-User-ID listing A and B")]
    [InlineData("userId in the query")]
    [InlineData("userId in the body")]
    public async Task A_token_for_A_acts_as_A_wherever_else_the_request_names_B(string how)
    {
        var secured = await system.SecuredAsync();
        var a = ShopSystem.NewUserId();
        var b = await system.NewUserWithBalanceAsync(40);
        var bBefore = await SnapshotAsync(b);
        var path = how == "userId in the query" ? $"/payments/account/topup?userId={b}" : "/payments/account/topup";
        var json = how == "userId in the body" ? $"{{\"amount\":25,\"userId\":{b}}}" : "{\"amount\":25}";
        using var request = Request(HttpMethod.Post, path, Bearer(secured.TokenFor(a)), json);
        switch (how)
        {
            case "X-User-ID header": request.Headers.Add("X-User-ID", Id(b)); break;
            case "x-user-id in lower case": request.Headers.Add("x-user-id", Id(b)); break;
            case "X_User_ID with underscores": request.Headers.Add("X_User_ID", Id(b)); break;
            case "two X-User-ID headers": request.Headers.Add("X-User-ID", [Id(b), Id(b)]); break;
            case "X-User-ID listing A and B": request.Headers.TryAddWithoutValidation("X-User-ID", $"{Id(b)},{Id(a)}"); break;
        }

        var account = await ReadJsonAsync(await secured.Http.SendAsync(request), HttpStatusCode.OK);

        Assert.Equal(a, account.GetProperty("userId").GetInt64());
        Assert.Equal(25, account.GetProperty("balance").GetInt64());
        Assert.Equal(bBefore, await SnapshotAsync(b));
    }

    [Fact]
    public async Task A_dev_token_signs_in_and_pays_an_order_end_to_end()
    {
        var secured = await system.SecuredAsync();
        var user = ShopSystem.NewUserId();

        var issued = await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/auth/dev-token", json: $"{{\"userId\":{user}}}")), HttpStatusCode.OK);
        var token = Bearer(issued.GetProperty("token").GetString()!);
        await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/payments/account/topup", token, "{\"amount\":80}")), HttpStatusCode.OK);
        var placed = await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/orders/orders", token, "{\"amount\":80}")), HttpStatusCode.Created);
        var orderId = placed.GetProperty("id").GetGuid();
        var final = await Eventually.UntilAsync(
            async () => await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Get, $"/orders/orders/{orderId}", token)), HttpStatusCode.OK),
            order => order.GetProperty("status").GetString() != "PENDING", $"order {orderId} to become final");

        Assert.Equal(user, issued.GetProperty("userId").GetInt64());
        Assert.Equal("Bearer", issued.GetProperty("tokenType").GetString());
        Assert.InRange(issued.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Equal("PAID", final.GetProperty("status").GetString());
        Assert.Equal(user, final.GetProperty("userId").GetInt64());
    }

    [Theory]
    [InlineData("text/plain", "{\"userId\":5}", 415)]
    [InlineData("application/json", "{\"userId\":", 400)]
    [InlineData("application/json", "[5]", 400)]
    [InlineData("application/json", "{}", 422)]
    [InlineData("application/json", "{\"userId\":0}", 422)]
    [InlineData("application/json", "{\"userId\":-2}", 422)]
    [InlineData("application/json", "{\"userId\":\"5\"}", 422)]
    [InlineData("application/json", "{\"userId\":1.5}", 422)]
    public async Task A_bad_dev_token_request_is_a_problem(string contentType, string body, int status)
    {
        var secured = await system.SecuredAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/dev-token") { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        using var response = await secured.Http.SendAsync(request);

        await AssertProblemAsync(response, (HttpStatusCode)status, body);
    }

    [Fact]
    public async Task Dev_tokens_are_absent_unless_turned_on_and_the_mode_is_published()
    {
        var secured = await system.SecuredAsync();
        await using var withoutDevTokens = await secured.StartGatewayAsync(system);
        using var jwtClient = new HttpClient { BaseAddress = withoutDevTokens.BaseAddress };

        using var onHeaderGateway = await system.Client.Http.SendAsync(Request(HttpMethod.Post, "/auth/dev-token", json: "{\"userId\":5}"));
        using var onJwtGateway = await jwtClient.SendAsync(Request(HttpMethod.Post, "/auth/dev-token", json: "{\"userId\":5}"));
        var headerMode = await ReadJsonAsync(await system.Client.Http.GetAsync("/auth/mode"), HttpStatusCode.OK);
        var jwtMode = await ReadJsonAsync(await secured.Http.GetAsync("/auth/mode"), HttpStatusCode.OK);

        await AssertProblemAsync(onHeaderGateway, HttpStatusCode.NotFound, "dev tokens in Header mode");
        await AssertProblemAsync(onJwtGateway, HttpStatusCode.NotFound, "dev tokens not turned on");
        Assert.Equal("Header", headerMode.GetProperty("mode").GetString());
        Assert.False(headerMode.GetProperty("devTokens").GetBoolean());
        Assert.Equal("Jwt", jwtMode.GetProperty("mode").GetString());
        Assert.True(jwtMode.GetProperty("devTokens").GetBoolean());
    }

    [Fact]
    public async Task A_token_printed_by_the_token_tool_is_accepted()
    {
        var secured = await system.SecuredAsync();
        var user = ShopSystem.NewUserId();

        var (exit, token, error) = await TokenTool.RunAsync("token", "--user", Id(user), "--minutes", "5", "--key", secured.SigningKey);
        var account = await ReadJsonAsync(await secured.Http.SendAsync(Request(HttpMethod.Post, "/payments/account", Bearer(token.Trim()))), HttpStatusCode.OK);

        Assert.True(exit == 0, error);
        Assert.Equal(user, account.GetProperty("userId").GetInt64());
        Assert.Contains($"token for user {user}, valid until", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--user", "0")]
    [InlineData("--user", "abc")]
    [InlineData("--minutes", "0")]
    [InlineData("--key", "c2hvcnQ=")]
    public async Task The_token_tool_refuses_bad_arguments_with_exit_code_2(string option, string value)
    {
        var secured = await system.SecuredAsync();
        string[] args = ["token", "--user", "5", "--key", secured.SigningKey];
        var index = Array.IndexOf(args, option);
        args[index + 1] = value;

        var (exit, token, error) = await TokenTool.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, token);
        Assert.Contains(option.TrimStart('-'), error, StringComparison.Ordinal);
    }

    // A's view of B: what the databases hold for B, so any write in B's name shows.
    private async Task<string> SnapshotAsync(long user)
    {
        var rows = await RowsAsync(system, user);
        var orders = await system.OrdersDb.QueryAsync("SELECT id, status, amount FROM orders WHERE user_id = $1 ORDER BY id",
            r => $"{r.GetGuid(0)}:{r.GetString(1)}:{r.GetInt64(2)}", user);
        return $"{rows} {string.Join(',', orders)}";
    }

    private static (string? Authorization, string Query) Refused(string token, SecuredShop secured, long user, long other)
    {
        var key = Convert.FromBase64String(secured.SigningKey);
        var claims = ForgedToken.Claims(user);
        var valid = secured.TokenFor(user);
        return token switch
        {
            "no Authorization header" => (null, ""),
            "Bearer with no token" => ("Bearer ", ""),
            "garbage" => ("Bearer not-a-token", ""),
            "three garbage parts" => ("Bearer a.b.c", ""),
            "expired" => (Bearer(ForgedToken.Sign(key, ForgedToken.Claims(user, expiresIn: TimeSpan.FromHours(-1), notBeforeIn: TimeSpan.FromHours(-2)))), ""),
            "not yet valid" => (Bearer(ForgedToken.Sign(key, ForgedToken.Claims(user, expiresIn: TimeSpan.FromHours(2), notBeforeIn: TimeSpan.FromHours(1)))), ""),
            "signed with another key" => (Bearer(ForgedToken.Sign(Convert.FromBase64String(Shop.Identity.SigningKey.Generate()), claims)), ""),
            // The header and signature of a real token for the user, the claims of another user.
            "claims changed after signing" => (Bearer(Splice(valid, secured.TokenFor(other))), ""),
            "wrong issuer" => (Bearer(ForgedToken.Sign(key, claims.With("iss", "someone-else"))), ""),
            "wrong audience" => (Bearer(ForgedToken.Sign(key, claims.With("aud", "another-shop"))), ""),
            "alg none" => (Bearer(ForgedToken.Unsigned(claims)), ""),
            "HS512 with the right key" => (Bearer(ForgedToken.Sign(key, claims, "HS512")), ""),
            "no expiry" => (Bearer(ForgedToken.Sign(key, claims.With("exp", null))), ""),
            "subject as a list" => (Bearer(ForgedToken.Sign(key, claims.With("sub", new[] { Id(other), Id(user) }))), ""),
            "Basic credentials" => ("Basic " + Convert.ToBase64String("user:password"u8.ToArray()), ""),
            "two bearer tokens" => ($"Bearer {valid}, Bearer {secured.TokenFor(other)}", ""),
            "token in the query instead of the header" => (null, $"?access_token={valid}"),
            _ => throw new ArgumentException(token),
        };
    }

    private static string Splice(string signed, string other)
    {
        var parts = signed.Split('.');
        return $"{parts[0]}.{other.Split('.')[1]}.{parts[2]}";
    }
}
