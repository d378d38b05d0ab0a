using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Shop.LoadTest.Load;

/// <summary>The few gateway routes the load needs, answering with the order's id and status or an error kind.</summary>
public sealed class ShopApi : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly UserCredentials _credentials;

    public ShopApi(Uri gateway, UserCredentials credentials)
    {
        _credentials = credentials;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = int.MaxValue,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Gateway => _http.BaseAddress!;

    public async Task TopUpAsync(long userId, long amount, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "payments/account/topup", userId, $"{{\"amount\":{amount}}}", cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>An order the shop refused at admission: 503 with <c>Retry-After</c>, nothing written.</summary>
    public const string Refused = "refused";

    /// <summary>Places an order: its id, or <see cref="Refused"/>, or an error kind such as <c>http_502</c> or <c>timeout</c>.</summary>
    public async Task<(Guid Id, string? Error)> PlaceOrderAsync(long userId, long amount, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Post, "orders/orders", userId, $"{{\"amount\":{amount}}}", cancellationToken);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null)
            {
                return (Guid.Empty, Refused);
            }
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return (Guid.Empty, $"http_{(int)response.StatusCode}");
            }
            using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            return (body.RootElement.GetProperty("id").GetGuid(), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException
                                              && !cancellationToken.IsCancellationRequested)
        {
            return (Guid.Empty, ErrorKind(exception));
        }
    }

    /// <summary>The order's status (PENDING, PAID, FAILED), or null when the read failed.</summary>
    public async Task<string?> GetStatusAsync(long userId, Guid orderId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, $"orders/orders/{orderId}", userId, null, cancellationToken);
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

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, long userId, string? json, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        _credentials.Apply(request, userId);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, Json);
        }
        return _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }

    public void Dispose() => _http.Dispose();
}
