namespace Shop.Deployment.Tests.Docker;

/// <summary>
/// Puts a service's build arguments into its Dockerfile as a build does: each name an ARG declares, written
/// <c>$NAME</c> or <c>${NAME}</c>, becomes the value compose passes or else the ARG's default. Other names (a RUN's
/// shell variables) stay as written.
/// </summary>
public static partial class BuildArguments
{
    public static (string Text, IReadOnlyList<string> Errors) Substitute(string dockerfile, IReadOnlyDictionary<string, string> passed)
    {
        var declared = Declaration().Matches(dockerfile)
            .GroupBy(m => m.Groups["name"].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Groups["default"].Success ? m.Groups["default"].Value : null).FirstOrDefault(d => d is not null), StringComparer.Ordinal);
        var errors = passed.Keys.Where(name => !declared.ContainsKey(name))
            .Select(name => $"build argument {name} is passed, but no ARG declares it.")
            .ToList();
        var text = Use().Replace(dockerfile, use =>
        {
            var name = use.Groups["name"].Value;
            if (!declared.TryGetValue(name, out var fallback))
            {
                return use.Value;
            }
            if ((passed.TryGetValue(name, out var value) ? value : fallback) is { } resolved)
            {
                return resolved;
            }
            errors.Add($"ARG {name} is used, but neither compose nor a default gives it a value.");
            return use.Value;
        });
        return (text, errors.Distinct().ToList());
    }

    [GeneratedRegex(@"^\s*ARG\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?<default>\S*))?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}|(?<name>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Use();
}
