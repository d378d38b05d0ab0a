namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Every object of the Kubernetes manifests in deploy/, and the files kustomization.yaml applies.</summary>
internal sealed class KubernetesManifests
{
    public const string FolderName = "deploy";
    public const string KustomizationFileName = "kustomization.yaml";

    private KubernetesManifests(IReadOnlyList<KubernetesObject> objects, IReadOnlyList<string> files, JsonObject kustomization)
    {
        Objects = objects;
        Files = files;
        Kustomization = kustomization;
    }

    public static string FolderPath => RepositoryRoot.Combine(FolderName);

    public IReadOnlyList<KubernetesObject> Objects { get; }

    /// <summary>The manifest files in the folder (kustomization.yaml aside), by file name.</summary>
    public IReadOnlyList<string> Files { get; }

    public JsonObject Kustomization { get; }

    public static KubernetesManifests Load()
    {
        var files = Directory.EnumerateFiles(FolderPath)
            .Where(path => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal))
            .Select(path => (Name: Path.GetFileName(path), Yaml: File.ReadAllText(path)))
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .ToList();
        var kustomization = files.SingleOrDefault(file => file.Name == KustomizationFileName);
        if (kustomization.Yaml is null)
        {
            throw new FileNotFoundException($"{FolderName}/{KustomizationFileName} is missing.");
        }

        var manifests = files.Where(file => file.Name != KustomizationFileName).ToList();
        return new KubernetesManifests(
            manifests.SelectMany(file => Parse(file.Name, file.Yaml)).ToList(),
            manifests.Select(file => file.Name).ToList(),
            (JsonObject)Parse(KustomizationFileName, kustomization.Yaml).Single().Body);
    }

    /// <summary>Every document of one file; an empty document (a trailing <c>---</c>) is skipped, as kubectl does.</summary>
    public static IEnumerable<KubernetesObject> Parse(string file, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"{FolderName}/{file} is not valid YAML: {e.Message}", e);
        }

        for (var index = 0; index < stream.Documents.Count; index++)
        {
            var root = stream.Documents[index].RootNode;
            if (root is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            yield return YamlToJson.Convert(root) is JsonObject body
                ? new KubernetesObject(file, index, body)
                : throw new FormatException($"{FolderName}/{file}, document {index + 1}, is not a mapping.");
        }
    }

    public IEnumerable<KubernetesObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public KubernetesObject? Find(string kind, string name) => Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name);

    /// <summary>A copy with one object changed, for checks that must be seen to fail.</summary>
    public KubernetesManifests With(string kind, string name, Action<JsonObject> change)
    {
        var target = Find(kind, name) ?? throw new InvalidOperationException($"No {kind} {name} in {FolderName}/.");
        var body = (JsonObject)target.Body.DeepClone();
        change(body);
        // Through JSON text, so a number the change set reads back like one parsed from YAML.
        var changed = JsonNode.Parse(body.ToJsonString())!.AsObject();
        return new KubernetesManifests(
            Objects.Select(o => ReferenceEquals(o, target) ? o with { Body = changed } : o).ToList(),
            Files,
            Kustomization);
    }
}
