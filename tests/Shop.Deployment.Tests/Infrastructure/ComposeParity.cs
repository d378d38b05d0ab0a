namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>
/// What deploy/ must share with docker-compose.yml for each service it runs: the image, the ports, the health
/// endpoint the probes ask, and the environment, key by key and value by value. Each method returns the problems.
/// </summary>
internal static partial class ComposeParity
{
    /// <summary>The compose services deploy/ runs; the databases, broker, storage and dashboard are the cluster's or Azure's.</summary>
    public static IReadOnlyList<string> DeployedServices { get; } = ["functions-orders", "functions-payments", "gateway-proxy", "static-site"];

    private static readonly string[] ProbeKinds = ["readinessProbe", "livenessProbe"];

    public static List<string> MissingWorkloads(KubernetesManifests manifests) => DeployedServices
        .SelectMany(service => new[] { "Deployment", "Service" }
            .Where(kind => manifests.Find(kind, service) is null)
            .Select(kind => $"{service}: docker-compose.yml runs it, {KubernetesManifests.FolderName}/ has no {kind} named {service}."))
        .Concat(PodContainer.All(manifests)
            .Where(container => !DeployedServices.Contains(container.Deployment.Name))
            .Select(container => $"{container.Deployment}: no compose service of that name to take its image and settings from."))
        .ToList();

    public static List<string> ImageProblems(KubernetesManifests manifests, ComposeConfiguration compose) => Pairs(manifests, compose)
        .Where(pair => pair.Container.Image != pair.Service.Image)
        .Select(pair => $"{pair.Service.Name}: {KubernetesManifests.FolderName}/ runs image '{pair.Container.Image}', docker-compose.yml builds '{pair.Service.Image ?? "(no image name)"}'.")
        .ToList();

    /// <summary>
    /// Published ports become the same port on an external Service, unpublished services stay inside the cluster, the
    /// container listens where compose's health check and the other services' addresses expect it.
    /// </summary>
    public static List<string> PortProblems(KubernetesManifests manifests, ComposeConfiguration compose)
    {
        var problems = new List<string>();
        foreach (var (service, container) in Pairs(manifests, compose))
        {
            var k8sService = manifests.Find("Service", service.Name);
            if (k8sService is null)
            {
                continue;
            }

            var servicePorts = (k8sService.Spec?["ports"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(port => (Port: (int?)port["port"].Number(), Target: container.ResolvePort(port["targetPort"] ?? port["port"])))
                .ToList();
            var type = k8sService.Spec?["type"].Text() ?? "ClusterIP";
            foreach (var published in service.Ports)
            {
                if (!servicePorts.Contains((published.Published, published.Target)))
                {
                    problems.Add($"{service.Name}: docker-compose.yml publishes {published.Published}:{published.Target}; Service {service.Name} has no port {published.Published} → container port {published.Target}.");
                }
            }

            var exposed = type is "LoadBalancer" or "NodePort";
            if (exposed != service.Ports.Count > 0)
            {
                problems.Add($"{service.Name}: Service type {type}, but docker-compose.yml {(service.Ports.Count > 0 ? "publishes it" : "keeps it inside its network")}.");
            }

            if (ComposeHealthcheck.Of(service) is { } health && !container.Ports.Values.Contains(health.Port))
            {
                problems.Add($"{service.Name}: compose's health check asks port {health.Port}, the container declares [{string.Join(", ", container.Ports.Values)}].");
            }
        }

        // Addresses other services use inside the compose network (e.g. the gateway's http://functions-orders:80/).
        foreach (var (name, value) in compose.Services.Values.Where(s => DeployedServices.Contains(s.Name)).SelectMany(s => s.Environment))
        {
            foreach (Match address in InNetworkAddress().Matches(value))
            {
                var host = address.Groups["host"].Value;
                var port = int.Parse(address.Groups["port"].Value);
                if (!DeployedServices.Contains(host))
                {
                    continue;
                }

                var target = manifests.Find("Service", host);
                var ports = (target?.Spec?["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p => p["port"].Number());
                if (!ports.Contains(port))
                {
                    problems.Add($"{name} addresses {host}:{port}; {KubernetesManifests.FolderName}/ has no Service {host} with port {port}.");
                }
            }
        }

        return problems;
    }

    /// <summary>Readiness and liveness (and a startup probe, if any) ask the endpoint compose's health check asks.</summary>
    public static List<string> ProbeProblems(KubernetesManifests manifests, ComposeConfiguration compose)
    {
        var problems = new List<string>();
        foreach (var (service, container) in Pairs(manifests, compose))
        {
            var expected = ComposeHealthcheck.Of(service);
            if (expected is null)
            {
                problems.Add($"{service.Name}: compose's health check asks no HTTP endpoint this check can read.");
                continue;
            }

            foreach (var kind in ProbeKinds.Append("startupProbe"))
            {
                var probe = container.Probe(kind);
                if (probe is null)
                {
                    if (kind != "startupProbe")
                    {
                        problems.Add($"{container.Deployment}: no {kind}; it must ask {expected} as compose's health check does.");
                    }

                    continue;
                }

                var get = probe["httpGet"];
                var actual = get is null ? null : new ComposeHealthcheck(container.ResolvePort(get["port"]) ?? -1, get["path"].Text() ?? "/");
                if (actual != expected)
                {
                    problems.Add($"{container.Deployment}: {kind} asks {(actual is null ? "no HTTP endpoint" : actual.ToString())}; compose's health check asks {expected}.");
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// A pod that must run as non-root names a numeric user, or runs an image whose USER is numeric: the kubelet cannot
    /// verify a user name (the aspnet image's "app") and refuses to start the container.
    /// </summary>
    public static List<string> UserProblems(KubernetesManifests manifests, ComposeConfiguration compose)
    {
        var problems = new List<string>();
        foreach (var (service, container) in Pairs(manifests, compose))
        {
            var pod = container.Deployment.Spec?["template"]?["spec"]?["securityContext"];
            var own = container.SecurityContext;
            var nonRoot = (own?["runAsNonRoot"] ?? pod?["runAsNonRoot"]).Text() == "true";
            var user = (own?["runAsUser"] ?? pod?["runAsUser"]).Number();
            if (!nonRoot || user is > 0 || service.BuildContext is null)
            {
                continue;
            }

            var dockerfile = Path.Combine(Path.GetFullPath(service.BuildContext, RepositoryRoot.Path), service.Dockerfile!);
            var imageUser = Docker.DockerfileParser.Parse(File.ReadAllText(dockerfile)).Final.User?.Split(':')[0];
            if (!int.TryParse(imageUser, out var uid) || uid == 0)
            {
                problems.Add($"{container.Deployment}: runAsNonRoot with no numeric runAsUser, and the image's USER is '{imageUser ?? "(none)"}'; "
                    + "the kubelet refuses to start it. Set runAsUser to the image user's uid.");
            }
        }

        return problems;
    }

    /// <summary>The same keys with the same values as compose, in both directions, each mismatch named.</summary>
    public static List<string> EnvironmentProblems(KubernetesManifests manifests, ComposeConfiguration compose)
    {
        var problems = new List<string>();
        foreach (var (service, container) in Pairs(manifests, compose))
        {
            var deployed = container.Environment(problems);
            foreach (var (key, value) in service.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (!deployed.TryGetValue(key, out var setting))
                {
                    problems.Add($"{service.Name}: docker-compose.yml sets {key}, {KubernetesManifests.FolderName}/ does not. Add {key} to the {service.Name} "
                        + $"Deployment ({(Credentials.IsCredential(key, value) ? "from Secret shop-secrets: it carries a credential" : "in its ConfigMap")}).");
                }
                else if (setting.Value is not null && setting.Value != value)
                {
                    problems.Add($"{service.Name}: {key} is '{value}' in docker-compose.yml but '{setting.Value}' in {KubernetesManifests.FolderName}/ ({setting.Origin}).");
                }
            }

            problems.AddRange(deployed.Keys.Where(key => !service.Environment.ContainsKey(key)).Order(StringComparer.Ordinal)
                .Select(key => $"{service.Name}: {KubernetesManifests.FolderName}/ sets {key} ({deployed[key].Origin}), docker-compose.yml does not."));
        }

        return problems;
    }

    /// <summary>Every key a .NET app's container gets is one that app reads.</summary>
    public static List<string> UnreadKeys(KubernetesManifests manifests)
    {
        var problems = new List<string>();
        foreach (var container in PodContainer.All(manifests))
        {
            var app = DotnetApp.All.SingleOrDefault(a => a.Service == container.Deployment.Name);
            var keys = container.Environment(problems).Keys;
            if (app is null)
            {
                problems.AddRange(keys.Select(key => $"{container.Deployment}: sets {key}, but runs no .NET app of this repository to read it."));
                continue;
            }

            var configuration = new AppConfiguration(app);
            problems.AddRange(keys.Select(configuration.WhyUnknown).OfType<string>().Select(why => $"{container.Deployment}: {why}"));
        }

        return problems;
    }

    /// <summary>Passwords, keys and connection strings come from a Secret, never from a ConfigMap or the manifest.</summary>
    public static List<string> CredentialProblems(KubernetesManifests manifests)
    {
        var problems = new List<string>();
        foreach (var container in PodContainer.All(manifests))
        {
            problems.AddRange(container.Environment(problems).Values
                .Where(setting => setting.Source != EnvironmentSource.Secret && Credentials.IsCredential(setting.Name, setting.Value ?? ""))
                .Select(setting => $"{container.Deployment}: {setting.Name} carries a credential but comes from {setting.Origin}; take it from a Secret."));
        }

        return problems;
    }

    private static IEnumerable<(ComposeService Service, PodContainer Container)> Pairs(KubernetesManifests manifests, ComposeConfiguration compose) =>
        DeployedServices
            .Select(name => (Service: compose.Services.GetValueOrDefault(name), Container: PodContainer.Of(manifests, name)))
            .Where(pair => pair.Service is not null && pair.Container is not null)
            .Select(pair => (pair.Service!, pair.Container!));

    [GeneratedRegex(@"://(?<host>[a-z0-9-]+):(?<port>\d+)")]
    private static partial Regex InNetworkAddress();
}
