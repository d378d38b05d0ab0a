namespace Shop.Deployment.Tests;

/// <summary>
/// deploy/ runs what docker-compose.yml runs, configured the same way: images, ports, health endpoints and every
/// environment setting. When compose gains a setting, the parity test fails naming it until deploy/ has it too.
/// </summary>
public sealed class KubernetesComposeParityTests(ComposeFixture compose) : IClassFixture<ComposeFixture>
{
    private static KubernetesManifests Manifests => KubernetesManifests.Load();

    [Fact]
    public void Every_compose_service_deploy_runs_has_a_Deployment_and_a_Service()
    {
        ProblemList.AssertEmpty(ComposeParity.MissingWorkloads(Manifests));
    }

    [Fact]
    public void Every_image_is_the_one_compose_builds()
    {
        ProblemList.AssertEmpty(ComposeParity.ImageProblems(Manifests, compose.Configuration));
    }

    [Fact]
    public void Another_image_is_reported_with_both_names()
    {
        var broken = Manifests.With("Deployment", "functions-payments", body => Container(body)["image"] = "shop/functions-payment:latest");

        var problem = Assert.Single(ComposeParity.ImageProblems(broken, compose.Configuration));

        Assert.Contains("'shop/functions-payment:latest'", problem);
        Assert.Contains("'shop/functions-payments:latest'", problem);
    }

    [Fact]
    public void Every_port_is_the_one_compose_publishes_or_addresses()
    {
        ProblemList.AssertEmpty(ComposeParity.PortProblems(Manifests, compose.Configuration));
    }

    [Fact]
    public void A_Service_on_another_port_is_reported()
    {
        var broken = Manifests
            .With("Service", "gateway-proxy", body => body["spec"]!["ports"]![0]!["port"] = 80)
            .With("Service", "functions-orders", body => body["spec"]!["ports"]![0]!["port"] = 8080);

        var problems = ComposeParity.PortProblems(broken, compose.Configuration);

        Assert.Contains(problems, p => p.StartsWith("gateway-proxy: docker-compose.yml publishes 8000:8000", StringComparison.Ordinal));
        ProblemList.AssertReported(problems, "addresses functions-orders:80");
    }

    [Fact]
    public void Every_container_probes_the_endpoint_compose_health_checks_ask()
    {
        ProblemList.AssertEmpty(ComposeParity.ProbeProblems(Manifests, compose.Configuration));
    }

    [Fact]
    public void A_missing_or_misdirected_probe_is_reported()
    {
        var broken = Manifests
            .With("Deployment", "functions-orders", body => Container(body).Remove("livenessProbe"))
            .With("Deployment", "static-site", body => Container(body)["readinessProbe"]!["httpGet"]!["path"] = "/");

        var problems = ComposeParity.ProbeProblems(broken, compose.Configuration);

        ProblemList.AssertReported(problems, startingWith: "Deployment functions-orders", containing: "no livenessProbe");
        ProblemList.AssertReported(problems, startingWith: "Deployment static-site", containing: "readinessProbe asks GET :8080/;");
    }

    [Fact]
    public void Every_non_root_pod_names_a_user_the_kubelet_can_verify()
    {
        ProblemList.AssertEmpty(ComposeParity.UserProblems(Manifests, compose.Configuration));
    }

    [Fact]
    public void A_non_root_pod_on_an_image_with_a_named_user_is_reported()
    {
        var broken = Manifests.With("Deployment", "gateway-proxy", body => body["spec"]!["template"]!["spec"]!["securityContext"]!.AsObject().Remove("runAsUser"));

        var problem = Assert.Single(ComposeParity.UserProblems(broken, compose.Configuration));

        Assert.Contains("the image's USER is 'app'", problem);
    }

    [Fact]
    public void Every_environment_key_is_read_by_the_app()
    {
        ProblemList.AssertEmpty(ComposeParity.UnreadKeys(Manifests));
    }

    [Fact]
    public void A_key_no_app_reads_is_named()
    {
        var broken = Manifests.With("ConfigMap", "functions-config", body => body["data"]!["Messaging__RelayBatchSise"] = "100");

        var problems = ComposeParity.UnreadKeys(broken);

        ProblemList.AssertReported(problems, startingWith: "Deployment functions-orders", containing: "Messaging__RelayBatchSise");
        ProblemList.AssertReported(problems, startingWith: "Deployment functions-payments", containing: "Messaging__RelayBatchSise");
    }

    [Fact]
    public void The_environment_is_the_compose_environment_key_by_key()
    {
        ProblemList.AssertEmpty(ComposeParity.EnvironmentProblems(Manifests, compose.Configuration));
    }

    [Fact]
    public void A_setting_compose_gains_fails_naming_the_key_until_deploy_has_it()
    {
        var service = compose.Configuration.Services["functions-orders"];
        var grown = compose.Configuration.With(service with
        {
            Environment = new Dictionary<string, string>(service.Environment) { ["Orders__FutureSetting"] = "on", ["Future__SigningKey"] = "k" },
        });

        var problems = ComposeParity.EnvironmentProblems(Manifests, grown);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("docker-compose.yml sets Orders__FutureSetting, deploy/ does not", StringComparison.Ordinal) && p.Contains("ConfigMap", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("docker-compose.yml sets Future__SigningKey, deploy/ does not", StringComparison.Ordinal) && p.Contains("Secret", StringComparison.Ordinal));
    }

    [Fact]
    public void A_different_value_or_an_extra_key_is_named()
    {
        var broken = Manifests.With("ConfigMap", "gateway-config", body =>
        {
            body["data"]!["ReverseProxy__Clusters__orders__Destinations__primary__Address"] = "http://functions-orders:8080/";
            body["data"]!["Gateway__AllowedOrigins__2"] = "https://shop.example";
        });

        var problems = ComposeParity.EnvironmentProblems(broken, compose.Configuration);

        ProblemList.AssertReported(problems, "ReverseProxy__Clusters__orders__Destinations__primary__Address is 'http://functions-orders:80/' in docker-compose.yml but 'http://functions-orders:8080/'");
        ProblemList.AssertReported(problems, "deploy/ sets Gateway__AllowedOrigins__2 (ConfigMap gateway-config), docker-compose.yml does not");
    }

    [Fact]
    public void Credentials_come_from_Secrets()
    {
        ProblemList.AssertEmpty(ComposeParity.CredentialProblems(Manifests));
    }

    [Fact]
    public void A_connection_string_in_plain_sight_is_reported()
    {
        var broken = Manifests.With("Deployment", "functions-orders", body =>
        {
            var env = Container(body)["env"]!.AsArray();
            var index = env.Select(e => e!["name"]!.GetValue<string>()).ToList().IndexOf("ConnectionStrings__Orders");
            env[index] = new JsonObject { ["name"] = "ConnectionStrings__Orders", ["value"] = "Host=orders-db;Username=shop;Password=shop" };
        });

        var problem = Assert.Single(ComposeParity.CredentialProblems(broken));

        Assert.Contains("ConnectionStrings__Orders carries a credential but comes from env", problem);
    }

    private static JsonObject Container(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
}
