namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>
/// The function keys in deploy/: each function app's host reads host.json from FUNCTIONS_SECRETS_PATH (as under compose,
/// AzureWebJobsSecretStorageType=files), mounted from a Secret into a folder the host can write to; its default host
/// key is the app's Functions__HostKey and the key the gateway sends that app; it has a master key of its own.
/// </summary>
internal static class FunctionKeyFiles
{
    /// <summary>Each function app's Deployment and the gateway cluster that calls it.</summary>
    public static IReadOnlyList<(string App, string Cluster)> Apps { get; } = [("functions-orders", "orders"), ("functions-payments", "payments")];

    public const string HostKeyFile = "host.json";

    public static List<string> Problems(KubernetesManifests manifests)
    {
        var problems = new List<string>();
        var gateway = PodContainer.Of(manifests, "gateway-proxy")?.Environment(problems);
        foreach (var (app, cluster) in Apps)
        {
            var container = PodContainer.Of(manifests, app);
            if (container is null)
            {
                problems.Add($"{app}: {KubernetesManifests.FolderName}/ has no Deployment of that name.");
                continue;
            }

            var environment = container.Environment(problems);
            if (environment.GetValueOrDefault("AzureWebJobsSecretStorageType")?.Value != "files"
                || environment.GetValueOrDefault("FUNCTIONS_SECRETS_PATH")?.Value is not { Length: > 0 } folder)
            {
                problems.Add($"{container.Deployment}: the host must read its keys from files (AzureWebJobsSecretStorageType=files and FUNCTIONS_SECRETS_PATH).");
                continue;
            }

            folder = folder.TrimEnd('/');
            problems.AddRange(FolderProblems(container, folder));
            var hostKeys = HostKeys(container, folder);
            if (hostKeys is null)
            {
                problems.Add($"{container.Deployment}: nothing mounts {folder}/{HostKeyFile} from a Secret; the host would draw keys of its own that the gateway does not hold.");
                continue;
            }

            problems.AddRange(HostKeyProblems(hostKeys).Select(problem => $"{container.Deployment}: {folder}/{HostKeyFile} {problem}"));
            var defaultKey = DefaultKey(hostKeys);
            var appKey = environment.GetValueOrDefault("Functions__HostKey")?.Value;
            if (defaultKey is not null && appKey != defaultKey)
            {
                problems.Add($"{container.Deployment}: Functions__HostKey is not the default host key of {folder}/{HostKeyFile}.");
            }

            var sent = gateway?.GetValueOrDefault($"ReverseProxy__Clusters__{cluster}__Metadata__FunctionKey")?.Value;
            if (defaultKey is not null && sent != defaultKey)
            {
                problems.Add($"gateway-proxy: ReverseProxy__Clusters__{cluster}__Metadata__FunctionKey is not the default host key in {app}'s {folder}/{HostKeyFile}; {app} would answer the gateway 401.");
            }
        }

        return problems;
    }

    // The host writes a key file for a function (<name>.json) when a request's key matches no host key: the folder
    // must not be a Secret or ConfigMap volume, which are read-only.
    private static IEnumerable<string> FolderProblems(PodContainer container, string folder)
    {
        var mount = container.VolumeMounts.FirstOrDefault(m => m["mountPath"].Text()?.TrimEnd('/') == folder);
        var volume = container.Volume(mount?["name"].Text());
        if (mount is not null && (mount["readOnly"].Text() == "true" || volume?["secret"] is not null || volume?["configMap"] is not null || volume?["projected"] is not null))
        {
            yield return $"{container.Deployment}: {folder} is a read-only mount; the host writes function key files there (mount host.json alone, e.g. with subPath, into an emptyDir).";
        }
        else if (mount is null && container.SecurityContext?["readOnlyRootFilesystem"].Text() == "true")
        {
            yield return $"{container.Deployment}: {folder} is on a read-only root file system; mount an emptyDir there.";
        }
    }

    private static JsonObject? HostKeys(PodContainer container, string folder)
    {
        var file = $"{folder}/{HostKeyFile}";
        var content = container.VolumeMounts
            .Select(mount => mount["mountPath"].Text()?.TrimEnd('/') switch
            {
                var path when path == file => container.MountedFile(mount, ""),
                var path when path == folder => container.MountedFile(mount, HostKeyFile),
                _ => null,
            })
            .FirstOrDefault(text => text is not null);
        try
        {
            return content is null ? null : JsonNode.Parse(content) as JsonObject ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }

    private static IEnumerable<string> HostKeyProblems(JsonObject hostKeys)
    {
        var master = hostKeys["masterKey"];
        if (master?["value"].Text() is not { Length: > 0 })
        {
            yield return "has no masterKey value (the host cannot read its keys without one).";
        }
        if (DefaultKey(hostKeys) is not { Length: >= 16 })
        {
            yield return "has no default function key of at least 16 characters.";
        }
        if (master?["value"].Text() is { Length: > 0 } masterValue && masterValue == DefaultKey(hostKeys))
        {
            yield return "uses the function key as the master key: whoever holds the gateway's key would hold the host's admin API too.";
        }
        var keys = (hostKeys["functionKeys"] as JsonArray ?? []).Append(master);
        if (keys.Any(key => key?["encrypted"].Text() == "true"))
        {
            yield return "holds an encrypted key; only the host that encrypted it could read it.";
        }
    }

    private static string? DefaultKey(JsonObject hostKeys) => (hostKeys["functionKeys"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .FirstOrDefault(key => key["name"].Text() == "default")?["value"].Text();
}
