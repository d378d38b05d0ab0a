namespace Shop.Deployment.Tests;

/// <summary>
/// deploy/ gives each function app the host key file compose's command writes: host.json from Secret functions-keys in
/// FUNCTIONS_SECRETS_PATH (a folder the host can write to), its default host key the key the gateway sends that app.
/// </summary>
public sealed class KubernetesFunctionKeyTests
{
    private static KubernetesManifests Manifests => KubernetesManifests.Load();

    [Fact]
    public void Each_app_reads_the_key_the_gateway_sends_from_a_host_key_file_of_a_Secret()
    {
        ProblemList.AssertEmpty(FunctionKeyFiles.Problems(Manifests));
    }

    [Fact]
    public void A_host_key_file_with_another_key_than_the_gateway_sends_is_reported()
    {
        var broken = Manifests.With("Secret", "functions-keys", body =>
            body["stringData"]!["host.json"] = HostJson(master: "some-long-random-master-key-0123456789", key: "another-function-key-0123456789"));

        var problems = FunctionKeyFiles.Problems(broken);

        foreach (var (app, cluster) in FunctionKeyFiles.Apps)
        {
            ProblemList.AssertReported(problems, startingWith: $"Deployment {app}", containing: "Functions__HostKey is not the default host key");
            ProblemList.AssertReported(problems, $"ReverseProxy__Clusters__{cluster}__Metadata__FunctionKey is not the default host key in {app}'s");
        }
    }

    [Fact]
    public void A_host_key_file_without_a_master_key_or_with_the_function_key_as_master_is_reported()
    {
        var key = "local-compose-function-key-change-me";
        var withoutMaster = Manifests.With("Secret", "functions-keys", body => body["stringData"]!["host.json"] = HostJson(master: null, key: key));
        var keyAsMaster = Manifests.With("Secret", "functions-keys", body => body["stringData"]!["host.json"] = HostJson(master: key, key: key));

        Assert.Contains(FunctionKeyFiles.Problems(withoutMaster), p => p.Contains("has no masterKey value", StringComparison.Ordinal));
        Assert.Contains(FunctionKeyFiles.Problems(keyAsMaster), p => p.Contains("uses the function key as the master key", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Secret_mounted_as_the_whole_secrets_folder_is_reported_as_read_only()
    {
        // The host writes a key file per function there; a Secret volume is read-only.
        var broken = Manifests.With("Deployment", "functions-orders", body =>
        {
            var container = body["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
            container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "host-keys", ["mountPath"] = "/etc/shop-secrets", ["readOnly"] = true });
        });

        var problems = FunctionKeyFiles.Problems(broken);

        var problem = Assert.Single(problems);
        Assert.StartsWith("Deployment functions-orders", problem, StringComparison.Ordinal);
        Assert.Contains("/etc/shop-secrets is a read-only mount", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_app_without_the_host_key_file_is_reported()
    {
        var broken = Manifests.With("Deployment", "functions-payments", body =>
            body["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject().Remove("volumeMounts"));

        var problem = Assert.Single(FunctionKeyFiles.Problems(broken));

        Assert.Contains("Deployment functions-payments", problem, StringComparison.Ordinal);
        Assert.Contains("nothing mounts /etc/shop-secrets/host.json from a Secret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_volume_item_that_its_Secret_does_not_have_is_named()
    {
        var broken = Manifests.With("Deployment", "functions-orders", body =>
            body["spec"]!["template"]!["spec"]!["volumes"]!.AsArray()
                .Single(v => v!["name"]!.GetValue<string>() == "host-keys")!["secret"]!["items"]![0]!["key"] = "hosts.json");

        var problems = ManifestReferences.ReferenceProblems(broken);

        ProblemList.AssertReported(problems, startingWith: "Deployment functions-orders", containing: "key 'hosts.json' of Secret 'functions-keys'");
    }

    private static string HostJson(string? master, string key) => new JsonObject
    {
        ["masterKey"] = master is null ? null : new JsonObject { ["name"] = "master", ["value"] = master, ["encrypted"] = false },
        ["functionKeys"] = new JsonArray(new JsonObject { ["name"] = "default", ["value"] = key, ["encrypted"] = false }),
        ["systemKeys"] = new JsonArray(),
    }.ToJsonString();
}
