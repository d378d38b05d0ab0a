namespace Shop.Deployment.Tests;

/// <summary>deploy/ parses, validates against the vendored Kubernetes and KEDA schemas, and refers only to what it defines.</summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] ExpectedKinds = ["ConfigMap", "Deployment", "ScaledObject", "Secret", "Service", "TriggerAuthentication"];

    [Fact]
    public void Every_manifest_parses_into_named_objects_of_known_kinds()
    {
        var manifests = KubernetesManifests.Load();

        var unnamed = manifests.Objects.Where(o => o.ApiVersion.Length == 0 || o.Kind.Length == 0 || o.Name.Length == 0).ToList();

        Assert.True(unnamed.Count == 0, "Objects without apiVersion, kind or metadata.name: " + string.Join("; ", unnamed));
        Assert.Equal(ExpectedKinds, manifests.Objects.Select(o => o.Kind).Distinct().Order(StringComparer.Ordinal));
        var duplicates = manifests.Objects.GroupBy(o => (o.Kind, o.Name)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Kind} {g.Key.Name}").ToList();
        Assert.True(duplicates.Count == 0, "Defined twice: " + string.Join(", ", duplicates));
    }

    [Fact]
    public void Every_object_validates_against_its_schema()
    {
        var manifests = KubernetesManifests.Load();

        ProblemList.AssertEmpty(manifests.Objects.SelectMany(KubernetesSchemas.Instance.Validate).ToList());
    }

    [Fact]
    public void A_misspelt_field_fails_the_schema()
    {
        var broken = KubernetesManifests.Load().With("Deployment", "functions-orders", body =>
        {
            var container = body["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
            var probe = container["readinessProbe"]!;
            container.Remove("readinessProbe");
            container["readinesProbe"] = probe;
        });

        var problems = KubernetesSchemas.Instance.Validate(broken.Find("Deployment", "functions-orders")!);

        ProblemList.AssertReported(problems, "/spec/template/spec/containers/0");
    }

    [Fact]
    public void A_number_where_KEDA_wants_a_string_fails_the_schema()
    {
        var broken = KubernetesManifests.Load().With("ScaledObject", "functions-payments",
            body => body["spec"]!["triggers"]![0]!["metadata"]!["value"] = 100);

        var problems = KubernetesSchemas.Instance.Validate(broken.Find("ScaledObject", "functions-payments")!);

        ProblemList.AssertReported(problems, "/spec/triggers/0/metadata/value");
    }

    [Fact]
    public void A_missing_required_field_fails_the_schema()
    {
        var broken = KubernetesManifests.Load().With("Deployment", "gateway-proxy", body => body["spec"]!.AsObject().Remove("selector"));

        var problems = KubernetesSchemas.Instance.Validate(broken.Find("Deployment", "gateway-proxy")!);

        Assert.Contains(problems, p => p.Contains("/spec", StringComparison.Ordinal) && p.Contains("selector", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unvendored_kind_is_reported_not_passed()
    {
        var ingress = KubernetesManifests.Parse("ingress.yaml", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n").Single();

        var problems = KubernetesSchemas.Instance.Validate(ingress);

        Assert.Contains("no schema for 'networking.k8s.io/v1 Ingress'", Assert.Single(problems));
    }

    [Fact]
    public void Kustomization_applies_every_manifest_and_sets_every_image()
    {
        ProblemList.AssertEmpty(ManifestReferences.KustomizationProblems(KubernetesManifests.Load()));
    }

    [Fact]
    public void Every_selector_ConfigMap_Secret_and_key_referred_to_exists()
    {
        ProblemList.AssertEmpty(ManifestReferences.ReferenceProblems(KubernetesManifests.Load()));
    }

    [Fact]
    public void A_reference_to_a_missing_Secret_key_is_named()
    {
        var broken = KubernetesManifests.Load().With("Deployment", "functions-payments", body =>
            body["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
                .Single(e => e!["name"]!.GetValue<string>() == "ConnectionStrings__Payments")!["valueFrom"]!["secretKeyRef"]!["key"] = "payment-database");

        var problems = ManifestReferences.ReferenceProblems(broken);

        Assert.Contains(problems, p => p.Contains("ConnectionStrings__Payments", StringComparison.Ordinal) && p.Contains("'payment-database'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Service_that_selects_no_pods_is_reported()
    {
        var broken = KubernetesManifests.Load().With("Service", "static-site",
            body => body["spec"]!["selector"]!["app.kubernetes.io/name"] = "static");

        Assert.Contains(ManifestReferences.ReferenceProblems(broken), p => p.StartsWith("Service static-site", StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_and_quoted_scalars_are_typed_as_kubectl_reads_them()
    {
        var body = KubernetesManifests.Parse("t.yaml", "a: 80\nb: \"80\"\nc: true\nd: 'true'\ne: yes\nf: 1.5\ng: null\nh: text\n").Single().Body;

        Assert.Equal(80L, body["a"]!.GetValue<long>());
        Assert.Equal("80", body["b"]!.GetValue<string>());
        Assert.True(body["c"]!.GetValue<bool>());
        Assert.Equal("true", body["d"]!.GetValue<string>());
        Assert.True(body["e"]!.GetValue<bool>());
        Assert.Equal(1.5, body["f"]!.GetValue<double>());
        Assert.Null(body["g"]);
        Assert.Equal("text", body["h"]!.GetValue<string>());
    }

    [Fact]
    public void A_duplicate_key_is_an_error_not_a_silent_override()
    {
        Assert.ThrowsAny<Exception>(() => KubernetesManifests.Parse("t.yaml", "a: 1\na: 2\n").ToList());
    }
}
