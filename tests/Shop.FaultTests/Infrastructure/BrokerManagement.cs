using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shop.FaultTests.Infrastructure;

/// <summary>The broker's management API: a virtual host per run, queue depths, and a non-destructive look into a queue.</summary>
public sealed class BrokerManagement : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = FaultEnvironment.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(10) };

    public BrokerManagement()
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
    }

    public async Task CreateVirtualHostAsync(string vhost)
    {
        (await _http.PutAsync($"/api/vhosts/{Uri.EscapeDataString(vhost)}", null)).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync($"/api/permissions/{Uri.EscapeDataString(vhost)}/guest",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHostAsync(string vhost) => await _http.DeleteAsync($"/api/vhosts/{Uri.EscapeDataString(vhost)}");

    /// <summary>Messages ready plus unacknowledged (the management API's figure, refreshed every few seconds).</summary>
    public async Task<long> DepthAsync(string vhost, string queue)
    {
        using var response = await _http.GetAsync($"/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Read(document.RootElement, "messages");
    }

    private static long Read(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public void Dispose() => _http.Dispose();
}
