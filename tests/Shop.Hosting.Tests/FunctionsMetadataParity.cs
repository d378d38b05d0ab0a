namespace Shop.Hosting.Tests;

/// <summary>
/// Asserts that the development host discovers exactly the functions the Worker SDK wrote to functions.metadata
/// (names, entry points, HTTP methods and routes, timer schedules), so the two hosts cannot drift apart (docs/architecture.md, I19).
/// </summary>
public static class FunctionsMetadataParity
{
    public static void AssertMatches(Assembly functionsAssembly, string functionsMetadataPath)
    {
        if (!File.Exists(functionsMetadataPath))
        {
            Assert.Fail($"'{functionsMetadataPath}' does not exist; build the function app first (the Worker SDK writes it to the build output).");
        }

        var generated = ReadMetadata(functionsMetadataPath);
        var discovered = new Dictionary<string, string>(DevelopmentHost.Discover(functionsAssembly).Select(Describe), StringComparer.Ordinal);

        var differences = new List<string>();
        differences.AddRange(generated.Keys.Except(discovered.Keys).Order(StringComparer.Ordinal)
            .Select(name => $"'{name}' is in functions.metadata but not discovered by the development host."));
        differences.AddRange(discovered.Keys.Except(generated.Keys).Order(StringComparer.Ordinal)
            .Select(name => $"'{name}' is discovered by the development host but missing from functions.metadata."));
        foreach (var name in generated.Keys.Intersect(discovered.Keys).Order(StringComparer.Ordinal))
        {
            if (generated[name] != discovered[name])
            {
                differences.Add($"'{name}': functions.metadata has [{generated[name]}], the development host has [{discovered[name]}].");
            }
        }

        if (differences.Count > 0)
        {
            Assert.Fail($"The development host disagrees with {functionsMetadataPath}:{Environment.NewLine} - "
                + string.Join(Environment.NewLine + " - ", differences));
        }
    }

    private static KeyValuePair<string, string> Describe(FunctionDescriptor function) => new(function.Name, function.Trigger switch
    {
        HttpFunctionTrigger http => DescribeHttp(function.EntryPoint, http.Methods, http.Route, http.AuthLevel.ToString()),
        TimerFunctionTrigger timer => DescribeTimer(function.EntryPoint, timer.Schedule, timer.RunOnStartup),
        var other => throw new NotSupportedException($"Unknown trigger {other}."),
    });

    private static Dictionary<string, string> ReadMetadata(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var functions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            var entryPoint = function.GetProperty("entryPoint").GetString()!;
            var trigger = function.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
            var type = trigger.GetProperty("type").GetString()!;
            functions.Add(name, type.ToLowerInvariant() switch
            {
                "httptrigger" => DescribeHttp(
                    entryPoint,
                    trigger.TryGetProperty("methods", out var methods) ? methods.EnumerateArray().Select(m => m.GetString()!).ToList() : [],
                    // The Functions host serves a function without a route under its name.
                    trigger.TryGetProperty("route", out var route) && route.GetString() is { } template ? template : name,
                    trigger.GetProperty("authLevel").GetString()!),
                "timertrigger" => DescribeTimer(
                    entryPoint,
                    trigger.GetProperty("schedule").GetString()!,
                    trigger.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.GetBoolean()),
                _ => $"{entryPoint} {type} (the development host does not run this trigger)",
            });
        }

        return functions;
    }

    private static string DescribeHttp(string entryPoint, IEnumerable<string> methods, string route, string authLevel) =>
        $"{entryPoint} httpTrigger {string.Join(',', methods.Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal))} '{route}' auth={authLevel.ToLowerInvariant()}";

    private static string DescribeTimer(string entryPoint, string schedule, bool runOnStartup) =>
        $"{entryPoint} timerTrigger '{schedule}' runOnStartup={runOnStartup}";
}
