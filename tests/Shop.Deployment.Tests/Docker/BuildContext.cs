namespace Shop.Deployment.Tests.Docker;

/// <summary>The files a build sees: the context folder less what its .dockerignore leaves out.</summary>
public sealed class BuildContext
{
    private readonly DockerIgnore _ignore;

    public BuildContext(string directory)
    {
        Directory = Path.GetFullPath(directory);
        _ignore = DockerIgnore.ForContext(Directory);
    }

    public string Directory { get; }

    /// <summary>Null when a COPY of <paramref name="source"/> finds something in the context; else why it fails.</summary>
    public string? WhyMissing(string source)
    {
        var relative = source.TrimStart('/').TrimEnd('/');
        if (relative is "" or ".")
        {
            return null;
        }

        if (relative.Split('/').Contains(".."))
        {
            return $"'{source}' leaves the build context.";
        }

        var matches = Infrastructure.Glob.HasWildcard(relative)
            ? System.IO.Directory.EnumerateFileSystemEntries(Directory, "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(Directory, path).Replace('\\', '/'))
                .Where(path => Infrastructure.Glob.ToRegex(relative).IsMatch(path))
                .ToList()
            : File.Exists(Path.Combine(Directory, relative)) || System.IO.Directory.Exists(Path.Combine(Directory, relative)) ? [relative] : [];

        if (matches.Count == 0)
        {
            return $"'{source}' does not exist in {Directory}.";
        }

        var kept = matches.Where(path => !_ignore.Excludes(path)).ToList();
        return kept.Count == 0 ? $"'{source}' is left out of the context by .dockerignore." : null;
    }
}
