using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Swashbuckle.AspNetCore.SwaggerUI;

namespace Shop.Hosting;

/// <summary>
/// An app's API description: its OpenAPI 3 document (an embedded resource of the app) and Swagger UI over it, with
/// try-it-out. Swagger UI's files come from the Swashbuckle.AspNetCore.SwaggerUI package (embedded, gzipped, in its
/// assembly), so the page loads nothing from outside the app.
/// </summary>
public sealed class ApiDocs
{
    /// <summary>The files of Swagger UI the page loads, served at docs/{name}.</summary>
    public static readonly IReadOnlyDictionary<string, string> Assets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["swagger-ui.css"] = "text/css; charset=utf-8",
        ["swagger-ui-bundle.js"] = "text/javascript; charset=utf-8",
    };

    private const string PageResource = "Shop.Hosting.ApiDocsPage.html";
    private const string SwaggerUiResourcePrefix = "Swashbuckle.AspNetCore.SwaggerUI.node_modules.swagger_ui_dist.";

    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> AssetBytes = new(ReadAssets);

    private readonly Lazy<string> _document;
    private readonly Lazy<string> _page;

    public ApiDocs(Assembly appAssembly, string documentResource)
    {
        _document = new(() => ReadText(appAssembly, documentResource));
        _page = new(() => ReadText(typeof(ApiDocs).Assembly, PageResource)
            .Replace("{{TITLE}}", System.Net.WebUtility.HtmlEncode(Title(_document.Value)), StringComparison.Ordinal));
    }

    public IResult Page() => TypedResults.Text(_page.Value, "text/html; charset=utf-8");

    public IResult Document() => TypedResults.Text(_document.Value, "application/json; charset=utf-8");

    /// <summary>One of <see cref="Assets"/>, or a 404 problem.</summary>
    public static IResult Asset(string name, HttpResponse response)
    {
        if (!Assets.TryGetValue(name, out var contentType))
        {
            return TypedResults.Problem(
                detail: $"The API docs have no file '{name}'; they serve {string.Join(", ", Assets.Keys)}.",
                statusCode: StatusCodes.Status404NotFound);
        }
        // The files change only with the package version.
        response.Headers[HeaderNames.CacheControl] = "public, max-age=86400";
        return TypedResults.Bytes(AssetBytes.Value[name], contentType);
    }

    private static string Title(string document)
    {
        using var json = JsonDocument.Parse(document);
        return json.RootElement.GetProperty("info").GetProperty("title").GetString() ?? "API";
    }

    private static IReadOnlyDictionary<string, byte[]> ReadAssets()
    {
        var assembly = typeof(SwaggerUIOptions).Assembly;
        return Assets.Keys.ToDictionary(name => name, name =>
        {
            using var stream = assembly.GetManifestResourceStream(SwaggerUiResourcePrefix + name)
                ?? throw new InvalidOperationException($"Swagger UI's {name} is missing from {assembly.GetName()}.");
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var bytes = new MemoryStream();
            gzip.CopyTo(bytes);
            return bytes.ToArray();
        }, StringComparer.Ordinal);
    }

    private static string ReadText(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
