namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>What the manifests refer to among themselves: files in kustomization.yaml, images, selectors, ConfigMaps and Secrets.</summary>
internal static class ManifestReferences
{
    /// <summary><c>kubectl apply -k deploy/</c> applies every manifest file, and names no file that is not there.</summary>
    public static List<string> KustomizationProblems(KubernetesManifests manifests)
    {
        var listed = (manifests.Kustomization["resources"] as JsonArray ?? []).Select(r => r.Text() ?? "").ToList();
        var images = (manifests.Kustomization["images"] as JsonArray ?? []).Select(i => i?["name"].Text() ?? "").ToList();
        var used = PodContainer.All(manifests).Select(c => ImageName(c.Image ?? "")).Distinct(StringComparer.Ordinal).ToList();
        var folder = KubernetesManifests.FolderName;
        return manifests.Files.Except(listed).Select(file => $"{folder}/{file} is not in {folder}/{KubernetesManifests.KustomizationFileName} resources.")
            .Concat(listed.Except(manifests.Files).Select(file => $"{folder}/{KubernetesManifests.KustomizationFileName} lists {file}, which does not exist."))
            .Concat(used.Except(images).Select(image => $"Image {image} has no entry under images in {folder}/{KubernetesManifests.KustomizationFileName} (where a registry is set)."))
            .Concat(images.Except(used).Select(image => $"{folder}/{KubernetesManifests.KustomizationFileName} sets image {image}, which no Deployment runs."))
            .ToList();
    }

    /// <summary>Each Deployment selects its own pods, each Service selects a Deployment's pods, every ConfigMap, Secret and key referred to exists.</summary>
    public static List<string> ReferenceProblems(KubernetesManifests manifests)
    {
        var problems = new List<string>();
        var podLabels = manifests.OfKind("Deployment")
            .Select(d => (Deployment: d, Labels: Labels(d.Spec?["template"]?["metadata"]?["labels"])))
            .ToList();
        foreach (var (deployment, labels) in podLabels)
        {
            if (!Selects(Labels(deployment.Spec?["selector"]?["matchLabels"]), labels))
            {
                problems.Add($"{deployment}: spec.selector.matchLabels does not match its pod template's labels.");
            }

            foreach (var volume in (deployment.Spec?["template"]?["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var (kind, field, source) = volume["configMap"] is JsonObject c ? ("ConfigMap", "configMap", c["name"].Text())
                    : volume["secret"] is JsonObject s ? ("Secret", "secret", s["secretName"].Text())
                    : ("", "", null);
                if (source is null)
                {
                    continue;
                }
                var defined = manifests.Find(kind, source);
                if (defined is null)
                {
                    problems.Add($"{deployment}: volume {volume["name"]} mounts {kind} '{source}', which {KubernetesManifests.FolderName}/ does not define.");
                    continue;
                }
                var keys = DataKeys(defined);
                foreach (var item in (volume[field]!["items"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (item["key"].Text() is not { } key || !keys.Contains(key))
                    {
                        problems.Add($"{deployment}: volume {volume["name"]} takes key '{item["key"].Text()}' of {kind} '{source}', which has no such key.");
                    }
                }
            }
        }

        foreach (var container in PodContainer.All(manifests))
        {
            foreach (var mount in container.VolumeMounts)
            {
                if (container.Volume(mount["name"].Text()) is null)
                {
                    problems.Add($"{container.Deployment}: volumeMount {mount["mountPath"].Text()} names volume '{mount["name"].Text()}', which the pod does not define.");
                }
            }
        }

        foreach (var service in manifests.OfKind("Service"))
        {
            var selector = Labels(service.Spec?["selector"]);
            if (selector.Count == 0 || !podLabels.Any(pod => Selects(selector, pod.Labels)))
            {
                problems.Add($"{service}: its selector matches no Deployment's pods.");
            }
        }

        foreach (var container in PodContainer.All(manifests))
        {
            container.Environment(problems);
        }

        return problems;
    }

    private static HashSet<string> DataKeys(KubernetesObject source) =>
        new[] { "data", "stringData" }.SelectMany(field => (source.Body[field] as JsonObject ?? []).Select(entry => entry.Key)).ToHashSet(StringComparer.Ordinal);

    private static string ImageName(string image)
    {
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? image[..colon] : image;
    }

    private static Dictionary<string, string> Labels(JsonNode? node) => (node as JsonObject ?? [])
        .ToDictionary(label => label.Key, label => label.Value?.ToString() ?? "", StringComparer.Ordinal);

    private static bool Selects(Dictionary<string, string> selector, Dictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(label => labels.TryGetValue(label.Key, out var value) && value == label.Value);
}
