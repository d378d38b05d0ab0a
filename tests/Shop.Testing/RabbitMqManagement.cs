using System.Net.Http.Json;

namespace Shop.Testing;

/// <summary>The broker's management API: a virtual host per test run keeps runs apart, and queue depths show when work is drained.</summary>
public sealed class RabbitMqManagement : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="timeout">Per request; without it HttpClient's default.</param>
    public RabbitMqManagement(Uri baseAddress, TimeSpan? timeout = null)
    {
        _http = new HttpClient { BaseAddress = baseAddress };
        if (timeout is { } limit)
        {
            _http.Timeout = limit;
        }
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
    }

    public async Task CreateVirtualHostAsync(string vhost)
    {
        (await _http.PutAsync($"/api/vhosts/{Uri.EscapeDataString(vhost)}", null)).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync($"/api/permissions/{Uri.EscapeDataString(vhost)}/guest",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHostAsync(string vhost) =>
        await _http.DeleteAsync($"/api/vhosts/{Uri.EscapeDataString(vhost)}");

    /// <summary>Messages ready plus unacknowledged in the queue (the management API's figure, refreshed every few seconds).</summary>
    public async Task<long> DepthAsync(string vhost, string queue)
    {
        using var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        return Read(root, "messages_ready") + Read(root, "messages_unacknowledged");
    }

    /// <summary>The queue's messages ready and delivered but not yet acknowledged, as the management API last sampled them.</summary>
    public async Task<(long Ready, long Unacknowledged)> MessageCountsAsync(string vhost, string queue)
    {
        using var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (Read(document.RootElement, "messages_ready"), Read(document.RootElement, "messages_unacknowledged"));
    }

    /// <summary>The channels the broker lists on a connection (by the broker's name for it); 0 once it is closed.</summary>
    public async Task<int> ChannelsAsync(string connection)
    {
        using var response = await _http.GetAsync($"/api/connections/{Uri.EscapeDataString(connection)}/channels");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetArrayLength();
    }

    /// <summary>The connections open in the virtual host: the broker's name for each, and the name its client gave it.</summary>
    public async Task<List<(string Name, string? ClientName)>> ConnectionsAsync(string vhost)
    {
        using var response = await _http.GetAsync($"/api/vhosts/{Uri.EscapeDataString(vhost)}/connections");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString()!,
                c.TryGetProperty("client_properties", out var client) && client.TryGetProperty("connection_name", out var name) ? name.GetString() : null))
            .ToList();
    }

    /// <summary>Closes a client connection as the broker does when it restarts (the client sees CONNECTION_FORCED).</summary>
    public async Task CloseConnectionAsync(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/connections/{Uri.EscapeDataString(name)}");
        request.Headers.Add("X-Reason", "closed by a test");
        using var response = await _http.SendAsync(request);
        // 404: it closed meanwhile, which is what was asked.
        if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Deletes a queue as an operator would; the broker cancels its consumers (basic.cancel) and keeps their channels open.</summary>
    public async Task DeleteQueueAsync(string vhost, string queue) =>
        (await _http.DeleteAsync($"/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}")).EnsureSuccessStatusCode();

    /// <summary>The queue's consumers as the broker counts them; null while the queue does not exist.</summary>
    public async Task<long?> ConsumersAsync(string vhost, string queue)
    {
        using var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Read(document.RootElement, "consumers");
    }

    /// <summary>The queue's type as the broker reports it: quorum or classic.</summary>
    public async Task<string?> QueueTypeAsync(string vhost, string queue)
    {
        using var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
    }

    /// <summary>An exchange as the broker keeps it: its type, whether it survives a restart, whether it goes with its last binding, its alternate exchange.</summary>
    public async Task<(string? Type, bool Durable, bool AutoDelete, string? AlternateExchange)> ExchangeAsync(string vhost, string exchange)
    {
        using var response = await _http.GetAsync($"/api/exchanges/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(exchange)}");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        var alternate = root.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.Object
            && arguments.TryGetProperty("alternate-exchange", out var value) ? value.GetString() : null;
        return (root.GetProperty("type").GetString(), root.GetProperty("durable").GetBoolean(), root.GetProperty("auto_delete").GetBoolean(), alternate);
    }

    private static long Read(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public void Dispose() => _http.Dispose();
}
