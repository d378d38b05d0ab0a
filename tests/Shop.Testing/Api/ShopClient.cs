using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>The seed's API through the gateway, as a browser or curl would call it.</summary>
public sealed class ShopClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, long? userId, string? json = null,
        string? idempotencyKey = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (userId is not null)
        {
            request.Headers.Add("X-User-ID", userId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        return Http.SendAsync(request);
    }

    public async Task<AccountDto> OpenAccountAsync(long userId) =>
        await ReadAsync<AccountDto>(await SendAsync(HttpMethod.Post, "/payments/account", userId), HttpStatusCode.OK);

    public async Task<AccountDto> TopUpAsync(long userId, long amount, string? idempotencyKey = null) =>
        await ReadAsync<AccountDto>(await SendAsync(HttpMethod.Post, "/payments/account/topup", userId, $"{{\"amount\":{amount}}}", idempotencyKey), HttpStatusCode.OK);

    public async Task<AccountDto> GetBalanceAsync(long userId) =>
        await ReadAsync<AccountDto>(await SendAsync(HttpMethod.Get, "/payments/account/balance", userId), HttpStatusCode.OK);

    public async Task<OrderDto> PlaceOrderAsync(long userId, long amount, string? idempotencyKey = null) =>
        await ReadAsync<OrderDto>(await SendAsync(HttpMethod.Post, "/orders/orders", userId, $"{{\"amount\":{amount}}}", idempotencyKey), HttpStatusCode.Created);

    public async Task<OrderDto> GetOrderAsync(long userId, Guid orderId) =>
        await ReadAsync<OrderDto>(await SendAsync(HttpMethod.Get, $"/orders/orders/{orderId}", userId), HttpStatusCode.OK);

    public async Task<List<OrderDto>> ListOrdersAsync(long userId, string query = "") =>
        await ReadAsync<List<OrderDto>>(await SendAsync(HttpMethod.Get, $"/orders/orders{query}", userId), HttpStatusCode.OK);

    /// <summary>Waits for the order to leave PENDING, reading it over REST.</summary>
    public Task<OrderDto> WaitForFinalStatusAsync(long userId, Guid orderId, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => GetOrderAsync(userId, orderId), o => o.Status != "PENDING", $"order {orderId} to become final", timeout);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != expected)
            {
                throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
            }
            return System.Text.Json.JsonSerializer.Deserialize<T>(body, System.Text.Json.JsonSerializerOptions.Web)!;
        }
    }
}

public sealed record AccountDto(long UserId, long Balance, DateTimeOffset UpdatedAt);

public sealed record OrderDto(Guid Id, long UserId, long Amount, string Status, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? PaymentAt);
