namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>The services of a compose file, read from the YAML that <c>docker-compose config</c> prints.</summary>
internal sealed class ComposeConfiguration
{
    private ComposeConfiguration(IReadOnlyDictionary<string, ComposeService> services) => Services = services;

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    /// <summary>A copy with one service replaced, for checks that must be seen to fail when compose changes.</summary>
    public ComposeConfiguration With(ComposeService service) =>
        new(new Dictionary<string, ComposeService>(Services, StringComparer.Ordinal) { [service.Name] = service });

    public static ComposeConfiguration Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var services = Mapping(root, "services")
            ?? throw new FormatException("The configuration has no services.");
        return new ComposeConfiguration(services.Children.ToDictionary(
            entry => Scalar(entry.Key)!,
            entry => ReadService(Scalar(entry.Key)!, (YamlMappingNode)entry.Value),
            StringComparer.Ordinal));
    }

    private static ComposeService ReadService(string name, YamlMappingNode service)
    {
        var build = Child(service, "build");
        var healthcheck = Mapping(service, "healthcheck");
        return new ComposeService(
            name,
            Scalar(Child(service, "image")),
            build is YamlMappingNode b ? Scalar(Child(b, "context")) : Scalar(build),
            build is YamlMappingNode d ? Scalar(Child(d, "dockerfile")) ?? "Dockerfile" : build is null ? null : "Dockerfile",
            // Written like environment: a mapping, or a list of NAME=value.
            ReadEnvironment(build is YamlMappingNode a ? Child(a, "args") : null),
            ReadPorts(Child(service, "ports")),
            ReadEnvironment(Child(service, "environment")),
            healthcheck is null || Scalar(Child(healthcheck, "disable")) == "true" ? null : ReadTest(Child(healthcheck, "test")),
            ReadDependsOn(Child(service, "depends_on")),
            Scalar(Child(service, "hostname")),
            ReadVolumes(Child(service, "volumes")));
    }

    /// <summary>Each volume as <c>source:target[:mode]</c>, whether written short or long.</summary>
    private static List<string> ReadVolumes(YamlNode? node) => node is YamlSequenceNode volumes
        ? volumes.Children.Select(volume => volume switch
        {
            YamlScalarNode shortForm => shortForm.Value ?? "",
            YamlMappingNode longForm => $"{Scalar(Child(longForm, "source"))}:{Scalar(Child(longForm, "target"))}"
                + (Scalar(Child(longForm, "read_only")) == "true" ? ":ro" : ""),
            _ => throw new FormatException($"Unreadable volume {volume}."),
        }).ToList()
        : [];

    private static List<ComposePort> ReadPorts(YamlNode? node) => node is YamlSequenceNode ports
        ? ports.Children.Select(port => port switch
        {
            YamlScalarNode shortForm => ComposePort.Parse(shortForm.Value!),
            YamlMappingNode longForm => new ComposePort(
                Scalar(Child(longForm, "host_ip")) ?? "",
                int.Parse(Scalar(Child(longForm, "published"))!),
                int.Parse(Scalar(Child(longForm, "target"))!)),
            _ => throw new FormatException($"Unreadable port {port}."),
        }).ToList()
        : [];

    private static Dictionary<string, string> ReadEnvironment(YamlNode? node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(e => Scalar(e.Key)!, e => Scalar(e.Value) ?? "", StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(e => Scalar(e)!.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "", StringComparer.Ordinal),
        _ => new Dictionary<string, string>(StringComparer.Ordinal),
    };

    private static List<string>? ReadTest(YamlNode? node) => node switch
    {
        YamlSequenceNode list => list.Children.Select(item => Scalar(item) ?? "").ToList(),
        YamlScalarNode text => ["CMD-SHELL", text.Value ?? ""],
        _ => null,
    };

    private static Dictionary<string, string> ReadDependsOn(YamlNode? node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            e => Scalar(e.Key)!,
            e => e.Value is YamlMappingNode options ? Scalar(Child(options, "condition")) ?? "service_started" : "service_started",
            StringComparer.Ordinal),
        // The short list form means "started", the weakest condition.
        YamlSequenceNode list => list.Children.ToDictionary(e => Scalar(e)!, _ => "service_started", StringComparer.Ordinal),
        _ => new Dictionary<string, string>(StringComparer.Ordinal),
    };

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static YamlMappingNode? Mapping(YamlMappingNode map, string key) => Child(map, key) as YamlMappingNode;

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;
}
