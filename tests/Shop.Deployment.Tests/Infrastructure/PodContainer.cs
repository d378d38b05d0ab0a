namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>The container of a Deployment's pod template, read with the ConfigMaps and Secrets it refers to.</summary>
internal sealed class PodContainer
{
    private readonly KubernetesManifests _manifests;
    private readonly JsonObject _container;

    private PodContainer(KubernetesObject deployment, JsonObject container, KubernetesManifests manifests)
    {
        Deployment = deployment;
        _container = container;
        _manifests = manifests;
    }

    public KubernetesObject Deployment { get; }

    public string Name => _container["name"].Text() ?? "";

    public string? Image => _container["image"].Text();

    /// <summary>The container's ports by name (unnamed ones by their number).</summary>
    public IReadOnlyDictionary<string, int> Ports => (_container["ports"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .Select(port => (Name: port["name"].Text(), Number: port["containerPort"].Number()))
        .Where(port => port.Number is not null)
        .ToDictionary(port => port.Name ?? port.Number!.Value.ToString(), port => (int)port.Number!.Value, StringComparer.Ordinal);

    public JsonObject? Probe(string kind) => _container[kind] as JsonObject;

    public JsonObject? SecurityContext => _container["securityContext"] as JsonObject;

    public IEnumerable<JsonObject> VolumeMounts => (_container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>A volume of the pod by name, or null.</summary>
    public JsonObject? Volume(string? name) => (Deployment.Spec?["template"]?["spec"]?["volumes"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .FirstOrDefault(volume => name is not null && volume["name"].Text() == name);

    /// <summary>
    /// The content of the file <paramref name="mount"/> puts at <paramref name="file"/> (a name inside the mount, or
    /// "" for the file a subPath mount is), when its volume is a Secret or ConfigMap of deploy/; null otherwise.
    /// </summary>
    public string? MountedFile(JsonObject mount, string file)
    {
        var volume = Volume(mount["name"].Text());
        var (kind, source) = volume?["secret"] is JsonObject secret ? ("Secret", secret["secretName"].Text())
            : volume?["configMap"] is JsonObject configMap ? ("ConfigMap", configMap["name"].Text())
            : ("", null);
        var data = source is null ? null : Data(kind, source);
        if (data is null)
        {
            return null;
        }

        var path = mount["subPath"].Text() is { Length: > 0 } subPath ? (file.Length == 0 ? subPath : $"{subPath}/{file}") : file;
        var items = (volume![kind == "Secret" ? "secret" : "configMap"]!["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var key = items.Count == 0 ? path : items.FirstOrDefault(item => item["path"].Text() == path)?["key"].Text();
        return key is not null && data.TryGetValue(key, out var content) ? content : null;
    }

    /// <summary>The containers of every Deployment; a Deployment of this project runs one container.</summary>
    public static IEnumerable<PodContainer> All(KubernetesManifests manifests) => manifests.OfKind("Deployment")
        .SelectMany(deployment => (deployment.Spec?["template"]?["spec"]?["containers"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(container => new PodContainer(deployment, container, manifests)));

    public static PodContainer? Of(KubernetesManifests manifests, string deployment) =>
        All(manifests).FirstOrDefault(container => container.Deployment.Name == deployment);

    /// <summary>Resolves a probe's or Service's port (a number, or the name of one of this container's ports).</summary>
    public int? ResolvePort(JsonNode? port) => port switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => (int)number,
        JsonValue value when value.TryGetValue<string>(out var name) => Ports.TryGetValue(name, out var number) ? number : null,
        _ => null,
    };

    /// <summary>
    /// The environment Kubernetes gives the container: <c>envFrom</c> sources in order, then <c>env</c> (later wins).
    /// A reference to a missing ConfigMap, Secret or key is reported in <paramref name="problems"/>.
    /// </summary>
    public IReadOnlyDictionary<string, EnvironmentSetting> Environment(List<string> problems)
    {
        var result = new Dictionary<string, EnvironmentSetting>(StringComparer.Ordinal);
        foreach (var source in (_container["envFrom"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var (kind, reference) = source["configMapRef"] is JsonObject c ? ("ConfigMap", c) : source["secretRef"] is JsonObject s ? ("Secret", s) : ("", null);
            var name = reference?["name"].Text();
            var data = name is null ? null : Data(kind, name);
            if (data is null)
            {
                problems.Add($"{Deployment}: envFrom refers to {(kind.Length == 0 ? "neither a ConfigMap nor a Secret" : $"{kind} '{name}', which {KubernetesManifests.FolderName}/ does not define")}.");
                continue;
            }

            foreach (var (key, value) in data)
            {
                result[key] = new EnvironmentSetting(key, value, Source(kind), $"{kind} {name}");
            }
        }

        foreach (var variable in (_container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = variable["name"].Text()!;
            result[name] = variable["valueFrom"] is JsonObject from
                ? FromReference(name, from, problems)
                : new EnvironmentSetting(name, variable["value"].Text() ?? "", EnvironmentSource.Literal, "env");
        }

        return result;
    }

    private EnvironmentSetting FromReference(string name, JsonObject from, List<string> problems)
    {
        var (kind, reference) = from["configMapKeyRef"] is JsonObject c ? ("ConfigMap", c) : from["secretKeyRef"] is JsonObject s ? ("Secret", s) : ("", null);
        var source = reference?["name"].Text();
        var key = reference?["key"].Text();
        var data = source is null ? null : Data(kind, source);
        if (data is null || key is null || !data.TryGetValue(key, out var value))
        {
            problems.Add($"{Deployment}: {name} refers to key '{key}' of {(kind.Length == 0 ? "an unsupported source" : $"{kind} '{source}'")}, which {KubernetesManifests.FolderName}/ does not define.");
            return new EnvironmentSetting(name, null, kind == "Secret" ? EnvironmentSource.Secret : EnvironmentSource.ConfigMap, $"{kind} {source}");
        }

        return new EnvironmentSetting(name, value, Source(kind), $"{kind} {source}, key {key}");
    }

    /// <summary>A ConfigMap's <c>data</c> or a Secret's <c>stringData</c> and decoded <c>data</c>; null if there is no such object.</summary>
    private Dictionary<string, string>? Data(string kind, string name)
    {
        var item = _manifests.Find(kind, name);
        if (item is null)
        {
            return null;
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in item.Body["data"] as JsonObject ?? [])
        {
            var text = value.Text() ?? "";
            data[key] = kind == "Secret" ? Encoding.UTF8.GetString(Convert.FromBase64String(text)) : text;
        }

        foreach (var (key, value) in item.Body["stringData"] as JsonObject ?? [])
        {
            data[key] = value.Text() ?? "";
        }

        return data;
    }

    private static EnvironmentSource Source(string kind) => kind == "Secret" ? EnvironmentSource.Secret : EnvironmentSource.ConfigMap;
}
