namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Runs Debian's <c>docker-compose</c> (v1, needs no engine) against the repository's compose file.</summary>
internal static partial class DockerCompose
{
    public const string FileName = "docker-compose.yml";

    /// <summary>The three-node RabbitMQ cluster with quorum queues, merged over <see cref="FileName"/>.</summary>
    public const string HaFileName = "docker-compose.ha.yml";

    /// <summary>
    /// <c>docker-compose config</c> of the files merged in order, with every variable they interpolate removed from the
    /// environment, so the output shows the files' own defaults whatever the machine has set.
    /// </summary>
    public static async Task<ProcessResult> ConfigAsync(IReadOnlyList<string> files)
    {
        var executable = ProcessRunner.FindOnPath("docker-compose");
        if (executable is null)
        {
            Assert.Fail("docker-compose is not installed. `.ci/run` installs it (`apt-get install -y docker-compose`); on a workstation run that once.");
        }

        return await ProcessRunner.RunAsync(
            executable,
            ["--project-directory", RepositoryRoot.Path, .. files.SelectMany(file => new[] { "-f", RepositoryRoot.Combine(file) }), "config"],
            RepositoryRoot.Path,
            TimeSpan.FromMinutes(2),
            removeFromEnvironment: Variables(files).Keys);
    }

    /// <summary>Names used as <c>${NAME}</c>, <c>${NAME:-default}</c> and the like in the compose files, with their defaults (null if none).</summary>
    public static IReadOnlyDictionary<string, string?> Variables(IReadOnlyList<string> files) =>
        Interpolation().Matches(string.Join('\n', files.Select(file => File.ReadAllText(RepositoryRoot.Combine(file)))))
            .GroupBy(match => match.Groups["name"].Value, StringComparer.Ordinal)
            .ToDictionary(
                group => group.Key,
                group => group.Select(m => m.Groups["default"].Success ? m.Groups["default"].Value : null).FirstOrDefault(d => d is not null),
                StringComparer.Ordinal);

    // `$${X}` is an escaped dollar (left to the container's shell), not interpolation.
    [GeneratedRegex(@"(?<!\$)\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*))?\}")]
    private static partial Regex Interpolation();
}
