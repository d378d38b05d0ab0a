namespace Shop.IntegrationTests.Docs;

/// <summary>
/// The OpenAPI document of each app lists exactly its HTTP functions, as the Worker SDK wrote them to functions.metadata.
/// Rule: every HTTP function of the public API is documented; not the docs functions themselves (names starting with
/// "Docs"), the catch-all RouteFallback (it answers what no route takes) nor the internal routes (internal/*, which the
/// gateway refuses from outside).
/// </summary>
public sealed partial class ApiDocsTests(ShopSystem system) : ShopTests
{
    [Theory]
    [InlineData("orders", "functions-orders")]
    [InlineData("payments", "functions-payments")]
    public async Task The_document_has_every_http_function_of_the_app_and_nothing_else(string prefix, string appFolder)
    {
        var functions = ReadHttpFunctions(FunctionsMetadataPath(appFolder))
            .Where(f => !f.Name.StartsWith("Docs", StringComparison.Ordinal) && f.Name != "RouteFallback"
                && !f.Route.StartsWith("internal/", StringComparison.Ordinal))
            .SelectMany(f => f.Methods.Select(method => $"{method.ToUpperInvariant()} /{RouteConstraint().Replace(f.Route, "{$1}")}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        using var document = await GetDocumentAsync(prefix);
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(functions);
        Assert.Equal(functions, documented);
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    public async Task Every_reference_in_the_document_resolves(string prefix)
    {
        using var document = await GetDocumentAsync(prefix);
        var references = new List<string>();
        Collect(document.RootElement, references);

        Assert.NotEmpty(references);
        foreach (var reference in references.Distinct())
        {
            var node = document.RootElement;
            foreach (var key in reference.TrimStart('#', '/').Split('/'))
            {
                Assert.True(node.TryGetProperty(key, out node), $"{reference} does not resolve in the {prefix} document.");
            }
        }
    }

    [Fact]
    public async Task The_order_schema_lists_exactly_the_fields_of_an_order_the_app_serves()
    {
        var user = ShopSystem.NewUserId();
        var order = await system.Client.PlaceOrderAsync(user, 5);
        using var response = await system.Client.SendAsync(HttpMethod.Get, $"/orders/orders/{order.Id}", user);
        using var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        using var document = await GetDocumentAsync("orders");
        var schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("Order").GetProperty("properties");

        Assert.Equal(
            schema.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
            served.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("orders", "Shop Orders API")]
    [InlineData("payments", "Shop Payments API")]
    public async Task The_docs_page_is_served_through_the_gateway_without_any_cdn(string prefix, string title)
    {
        using var response = await system.Client.Http.GetAsync($"/{prefix}/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<title>{title}</title>", page, StringComparison.Ordinal);
        Assert.DoesNotMatch(ExternalAsset(), page);
    }

    [Theory]
    [InlineData("orders", "swagger-ui-bundle.js", "text/javascript", "SwaggerUIBundle")]
    [InlineData("payments", "swagger-ui.css", "text/css", ".swagger-ui")]
    public async Task Swagger_ui_files_are_served_by_the_app_itself(string prefix, string file, string mediaType, string content)
    {
        using var response = await system.Client.Http.GetAsync($"/{prefix}/docs/{file}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_docs_file_is_a_404_problem()
    {
        using var response = await system.Client.Http.GetAsync("/orders/docs/index.php");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonDocument> GetDocumentAsync(string prefix)
    {
        using var response = await system.Client.Http.GetAsync($"/{prefix}/docs/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        return document;
    }

    private static void Collect(JsonElement element, List<string> references)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref")
                    {
                        references.Add(property.Value.GetString()!);
                    }
                    Collect(property.Value, references);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, references);
                }
                break;
        }
    }

    private sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods);

    private static List<HttpFunction> ReadHttpFunctions(string path)
    {
        Assert.True(File.Exists(path), $"'{path}' does not exist; the Worker SDK writes it when the app builds.");
        using var metadata = JsonDocument.Parse(File.ReadAllText(path));
        return metadata.RootElement.EnumerateArray()
            .Select(function => (Name: function.GetProperty("name").GetString()!, Trigger: function.GetProperty("bindings").EnumerateArray()
                .FirstOrDefault(b => string.Equals(b.GetProperty("type").GetString(), "httpTrigger", StringComparison.OrdinalIgnoreCase))))
            .Where(f => f.Trigger.ValueKind == JsonValueKind.Object)
            .Select(f => new HttpFunction(f.Name, f.Trigger.GetProperty("route").GetString()!,
                f.Trigger.TryGetProperty("methods", out var methods) ? methods.EnumerateArray().Select(m => m.GetString()!).ToList() : []))
            .ToList();
    }

    /// <summary>The app's build output in this test run's configuration (bin/Debug or bin/Release).</summary>
    private static string FunctionsMetadataPath(string appFolder)
    {
        var segments = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var bin = Array.LastIndexOf(segments, "bin");
        return Path.Combine(RepositoryPaths.Root, appFolder, "bin", segments[bin + 1], segments[bin + 2], "functions.metadata");
    }

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"(src|href)=""(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalAsset();
}
