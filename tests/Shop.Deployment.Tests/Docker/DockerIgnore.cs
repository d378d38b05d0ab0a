namespace Shop.Deployment.Tests.Docker;

/// <summary>The rules of a build context's .dockerignore: a path is left out when it or a folder above it matches; <c>!</c> takes a path back.</summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(Regex, bool)> rules) => _rules = rules;

    public static DockerIgnore ForContext(string contextDirectory)
    {
        var file = Path.Combine(contextDirectory, ".dockerignore");
        var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        return new DockerIgnore(lines
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.StartsWith('!') ? (line[1..], false) : (line, true))
            .Select(rule => (Glob.ToRegex(rule.Item1.Trim('/')), rule.Item2))
            .ToList());
    }

    /// <summary>Whether <paramref name="relativePath"/> (with <c>/</c> separators, relative to the context) is left out of the context.</summary>
    public bool Excludes(string relativePath)
    {
        var segments = relativePath.Trim('/').Split('/');
        var excluded = false;
        for (var depth = 1; depth <= segments.Length; depth++)
        {
            var prefix = string.Join('/', segments[..depth]);
            foreach (var (pattern, exclude) in _rules)
            {
                if (pattern.IsMatch(prefix))
                {
                    excluded = exclude;
                }
            }
        }

        return excluded;
    }
}
