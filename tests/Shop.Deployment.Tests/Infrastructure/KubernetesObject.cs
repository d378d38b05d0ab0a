namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>One document of a manifest file, as the JSON the API server would receive.</summary>
internal sealed record KubernetesObject(string File, int Document, JsonObject Body)
{
    public string ApiVersion => Body["apiVersion"].Text() ?? "";

    public string Kind => Body["kind"].Text() ?? "";

    public string Name => Body["metadata"]?["name"].Text() ?? "";

    public JsonNode? Spec => Body["spec"];

    public override string ToString() => $"{Kind} {Name} ({Folder}/{File}, document {Document + 1})";

    private static string Folder => KubernetesManifests.FolderName;
}
