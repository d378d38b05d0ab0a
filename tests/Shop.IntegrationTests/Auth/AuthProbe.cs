namespace Shop.IntegrationTests.Auth;

/// <summary>Requests with raw Authorization and X-User-ID values, and what the databases hold for a user.</summary>
public static class AuthProbe
{
    public static HttpRequestMessage Request(HttpMethod method, string path, string? authorization = null, string? json = null, string? userHeader = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        if (userHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("X-User-ID", userHeader);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return request;
    }

    public static string Bearer(string token) => "Bearer " + token;

    public static string Id(long userId) => userId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The five routes of README's curl examples, each as a request that would write or read the user's data.</summary>
    public static IEnumerable<(HttpMethod Method, string Path, string? Json)> Routes() =>
    [
        (HttpMethod.Post, "/payments/account", null),
        (HttpMethod.Post, "/payments/account/topup", "{\"amount\":500}"),
        (HttpMethod.Get, "/payments/account/balance", null),
        (HttpMethod.Post, "/orders/orders", "{\"amount\":5}"),
        (HttpMethod.Get, "/orders/orders", null),
    ];

    /// <summary>Rows of the user in every table an API call could write: orders, accounts, ledger.</summary>
    public static async Task<(long Orders, long Accounts, long Transactions, long Balance)> RowsAsync(ShopSystem system, long userId) =>
    (
        await system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE user_id = $1", userId),
        await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM accounts WHERE user_id = $1", userId),
        await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE user_id = $1", userId),
        await system.PaymentsDb.ScalarAsync("SELECT coalesce(sum(balance), 0) FROM accounts WHERE user_id = $1", userId)
    );

    /// <summary>Checks an RFC 7807 problem of the given status and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string because)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{because}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), $"{because}: the problem has a detail");
        return detail!;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
