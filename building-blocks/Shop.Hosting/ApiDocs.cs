using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Shop.Hosting;

/// <summary>
/// An app's API description: its OpenAPI 3 document (an embedded resource of the app) and one self-contained page,
/// shared by every app, that renders it with no CDN.
/// </summary>
public sealed class ApiDocs
{
    private const string PageResource = "Shop.Hosting.ApiDocsPage.html";

    private readonly Lazy<string> _document;
    private readonly Lazy<string> _page;

    public ApiDocs(Assembly appAssembly, string documentResource)
    {
        _document = new(() => ReadResource(appAssembly, documentResource));
        // The document goes inside the page's <script> element, so "</" must not close it early.
        _page = new(() => ReadResource(typeof(ApiDocs).Assembly, PageResource)
            .Replace("{{OPENAPI}}", _document.Value.Replace("</", "<\\/", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    public IResult Page() => TypedResults.Text(_page.Value, "text/html; charset=utf-8");

    public IResult Document() => TypedResults.Text(_document.Value, "application/json; charset=utf-8");

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
