using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Shop.Payments.Features.Docs;

/// <summary>
/// The API description of this app: the OpenAPI 3 document (hand-written in openapi.json, checked against the
/// functions.metadata by a test) and a self-contained page that renders it, with no CDN (through the gateway: /payments/docs).
/// </summary>
public sealed class ApiDocsFunctions
{
    public const string DocumentResource = "Shop.Payments.Docs.openapi.json";
    public const string PageResource = "Shop.Payments.Docs.docs.html";

    private static readonly Lazy<string> Document = new(() => ReadResource(DocumentResource));

    // The document goes inside the page's <script> element, so "</" must not close it early.
    private static readonly Lazy<string> Page = new(() =>
        ReadResource(PageResource).Replace("{{OPENAPI}}", Document.Value.Replace("</", "<\\/", StringComparison.Ordinal), StringComparison.Ordinal));

    [Function("DocsPage")]
    public IResult DocsPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest request) =>
        TypedResults.Text(Page.Value, "text/html; charset=utf-8");

    [Function("DocsOpenApi")]
    public IResult OpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/openapi.json")] HttpRequest request) =>
        TypedResults.Text(Document.Value, "application/json; charset=utf-8");

    private static string ReadResource(string name)
    {
        using var stream = typeof(ApiDocsFunctions).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {typeof(ApiDocsFunctions).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
