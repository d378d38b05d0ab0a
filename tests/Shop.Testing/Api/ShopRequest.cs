namespace Shop.Testing.Api;

/// <summary>A request to the shop's API as every client here builds it: the user, an optional Idempotency-Key, a JSON body.</summary>
public static class ShopRequest
{
    public const string Json = "application/json";

    public static HttpRequestMessage Create(HttpMethod method, string path, long? userId, IUserIdentity identity,
        string? json = null, string? idempotencyKey = null, string contentType = Json)
    {
        var request = new HttpRequestMessage(method, path);
        if (userId is not null)
        {
            identity.Apply(request, userId.Value);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return request;
    }

    /// <summary>The body of a top-up or an order.</summary>
    public static string Amount(long amount) => $"{{\"amount\":{amount}}}";
}
