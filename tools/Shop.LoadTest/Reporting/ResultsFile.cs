using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.LoadTest.Reporting;

/// <summary>Writes a result as <c>{kind}-{time}.json</c> and <c>.html</c>, and as <c>latest-{kind}.*</c> beside them.</summary>
public static class ResultsFile
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<string> WriteAsync<T>(string directory, string kind, T result, string? html, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var json = JsonSerializer.Serialize(result, Json);
        var path = Path.Combine(directory, $"{kind}-{stamp}");
        await File.WriteAllTextAsync(path + ".json", json, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, $"latest-{kind}.json"), json, cancellationToken);
        if (html is not null)
        {
            await File.WriteAllTextAsync(path + ".html", html, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, $"latest-{kind}.html"), html, cancellationToken);
        }
        return path;
    }

    public static async Task<T?> ReadLatestAsync<T>(string directory, string kind, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, $"latest-{kind}.json");
        if (!File.Exists(path))
        {
            return default;
        }
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken);
    }
}
