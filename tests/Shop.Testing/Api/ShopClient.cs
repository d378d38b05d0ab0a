namespace Shop.Testing.Api;

/// <summary>
/// The shop's API through the gateway, as a browser or curl would call it. The typed calls throw on an unexpected status;
/// the <c>Try</c> calls, for a load, answer with what happened instead.
/// </summary>
public sealed class ShopClient(HttpClient http, IUserIdentity? identity = null)
{
    private readonly IUserIdentity _identity = identity ?? UserIdHeader.Instance;

    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, long? userId, string? json = null,
        string? idempotencyKey = null, string contentType = ShopRequest.Json, CancellationToken cancellationToken = default) =>
        Http.SendAsync(ShopRequest.Create(method, path, userId, _identity, json, idempotencyKey, contentType), cancellationToken);

    public async Task<AccountDto> OpenAccountAsync(long userId) =>
        await ReadAsync<AccountDto>(await SendAsync(HttpMethod.Post, ShopRoutes.Account, userId), HttpStatusCode.OK);

    public async Task<AccountDto> TopUpAsync(long userId, long amount, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        await ReadAsync<AccountDto>(await SendAsync(HttpMethod.Post, ShopRoutes.TopUp, userId, ShopRequest.Amount(amount), idempotencyKey,
            cancellationToken: cancellationToken), HttpStatusCode.OK, cancellationToken);

    public async Task<AccountDto> GetBalanceAsync(long userId) =>
        await ReadAsync<AccountDto>(await SendAsync(HttpMethod.Get, ShopRoutes.Balance, userId), HttpStatusCode.OK);

    public async Task<OrderDto> PlaceOrderAsync(long userId, long amount, string? idempotencyKey = null) =>
        await ReadAsync<OrderDto>(await SendAsync(HttpMethod.Post, ShopRoutes.Orders, userId, ShopRequest.Amount(amount), idempotencyKey), HttpStatusCode.Created);

    public async Task<OrderDto> GetOrderAsync(long userId, Guid orderId) =>
        await ReadAsync<OrderDto>(await SendAsync(HttpMethod.Get, ShopRoutes.Order(orderId), userId), HttpStatusCode.OK);

    public async Task<List<OrderDto>> ListOrdersAsync(long userId, string query = "") =>
        await ReadAsync<List<OrderDto>>(await SendAsync(HttpMethod.Get, ShopRoutes.Orders + query, userId), HttpStatusCode.OK);

    /// <summary>Waits for the order to leave PENDING, reading it over REST.</summary>
    public Task<OrderDto> WaitForFinalStatusAsync(long userId, Guid orderId, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => GetOrderAsync(userId, orderId), o => o.Status != "PENDING", $"order {orderId} to become final", timeout);

    /// <summary>Places an order and says how it went; refusals (503 with <c>Retry-After</c>) are told apart from errors.</summary>
    public async Task<PlacedOrder> TryPlaceOrderAsync(long userId, long amount, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Post, ShopRoutes.Orders, userId, ShopRequest.Amount(amount), cancellationToken: cancellationToken);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null)
            {
                return new PlacedOrder(Guid.Empty, PlacedOrder.Refused);
            }
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return new PlacedOrder(Guid.Empty, $"http_{(int)response.StatusCode}");
            }
            using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            return new PlacedOrder(body.RootElement.GetProperty("id").GetGuid(), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException
                                              && !cancellationToken.IsCancellationRequested)
        {
            return new PlacedOrder(Guid.Empty, ErrorKind(exception));
        }
    }

    /// <summary>The order's status (PENDING, PAID, FAILED), or null when the read failed.</summary>
    public async Task<string?> TryGetStatusAsync(long userId, Guid orderId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, ShopRoutes.Order(orderId), userId, cancellationToken: cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }
            using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            return body.RootElement.GetProperty("status").GetString();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException
                                              && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public static string ErrorKind(Exception exception) => exception switch
    {
        TaskCanceledException => "timeout",
        HttpRequestException { HttpRequestError: var error } => $"connection_{error}".ToLowerInvariant(),
        JsonException => "bad_body",
        _ => exception.GetType().Name,
    };

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken = default)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != expected)
            {
                throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
            }
            return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!;
        }
    }
}
