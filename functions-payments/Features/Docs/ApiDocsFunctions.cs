using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Shop.Hosting;

namespace Shop.Payments.Features.Docs;

/// <summary>
/// The API description of this app: the OpenAPI 3 document (hand-written in openapi.json, checked against the
/// functions.metadata by a test) and Swagger UI over it, with try-it-out (through the gateway: /payments/docs).
/// </summary>
public sealed class ApiDocsFunctions
{
    public const string DocumentResource = "Shop.Payments.Docs.openapi.json";

    private static readonly ApiDocs Docs = new(typeof(ApiDocsFunctions).Assembly, DocumentResource);

    [Function("DocsPage")]
    public IResult DocsPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest request) => Docs.Page();

    [Function("DocsAsset")]
    public IResult Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/{asset}")] HttpRequest request, string asset) =>
        ApiDocs.Asset(asset, request.HttpContext.Response);

    [Function("DocsOpenApi")]
    public IResult OpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/openapi.json")] HttpRequest request) =>
        Docs.Document();
}
