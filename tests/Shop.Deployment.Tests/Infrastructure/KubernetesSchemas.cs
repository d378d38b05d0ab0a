using Json.Schema;

namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>
/// Validates objects against the Kubernetes and KEDA JSON schemas vendored in Schemas/ (strict: unknown fields are
/// errors, as kubectl reports them). Nothing is fetched: each bundle holds every definition its kinds refer to.
/// </summary>
internal sealed class KubernetesSchemas
{
    public const string FolderName = "tests/Shop.Deployment.Tests/Schemas";
    private static readonly string[] BundleFiles = ["kubernetes-1.25.json", "keda-v1alpha1.json"];

    private readonly Dictionary<string, (JsonObject Definitions, string Id)> _kinds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    private KubernetesSchemas()
    {
        foreach (var file in BundleFiles)
        {
            var bundle = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine(FolderName, file)))!.AsObject();
            var definitions = bundle["definitions"]!.AsObject();
            foreach (var (kind, id) in bundle["x-kinds"]!.AsObject())
            {
                _kinds.Add(kind, (definitions, id!.GetValue<string>()));
            }
        }
    }

    public static KubernetesSchemas Instance { get; } = new();

    /// <summary>"apiVersion kind" pairs a schema is vendored for, e.g. <c>apps/v1 Deployment</c>.</summary>
    public IReadOnlyCollection<string> Kinds => _kinds.Keys;

    /// <summary>What is wrong with the object, one line per error; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate(KubernetesObject item)
    {
        var kind = $"{item.ApiVersion} {item.Kind}";
        if (!_kinds.ContainsKey(kind))
        {
            return [$"{item}: no schema for '{kind}' in {FolderName} (vendored: {string.Join(", ", Kinds.Order())})."];
        }

        var schema = _schemas.GetOrAdd(kind, Build);
        using var document = JsonDocument.Parse(item.Body.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var errors = new List<string>();
        Collect(results, item, errors);
        return errors.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The errors along the failing branches only: a passing <c>oneOf</c> still carries its failed alternative (the
    /// <c>null</c> every optional field also accepts), which is no error of the object. Of a failing <c>oneOf</c>, the
    /// <c>null</c> alternative's complaint is dropped as noise; the other alternative's says what is wrong.
    /// </summary>
    private static void Collect(EvaluationResults result, KubernetesObject item, List<string> errors)
    {
        if (result.IsValid)
        {
            return;
        }

        foreach (var (_, message) in result.Errors ?? new Dictionary<string, string>())
        {
            if (!message.Contains("should be \"null\"", StringComparison.Ordinal) && !message.Contains("subschema", StringComparison.Ordinal))
            {
                errors.Add($"{item}: {Location(result)} {message}");
            }
        }

        foreach (var detail in result.Details ?? [])
        {
            Collect(detail, item, errors);
        }
    }

    private JsonSchema Build(string kind)
    {
        var (definitions, id) = _kinds[kind];
        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["$ref"] = $"#/definitions/{id}",
            ["definitions"] = definitions.DeepClone(),
        };
        return JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://schemas.shop.invalid/{Uri.EscapeDataString(kind)}.json"));
    }

    private static string Location(EvaluationResults detail)
    {
        var pointer = detail.InstanceLocation.ToString();
        return pointer.Length == 0 ? "(the object)" : pointer;
    }
}
