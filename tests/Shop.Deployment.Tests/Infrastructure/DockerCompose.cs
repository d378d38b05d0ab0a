using System.Text.RegularExpressions;

namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Runs Debian's <c>docker-compose</c> (v1, needs no engine) against the repository's compose file.</summary>
internal static partial class DockerCompose
{
    public const string FileName = "docker-compose.yml";

    public static string FilePath => RepositoryRoot.Combine(FileName);

    /// <summary>
    /// <c>docker-compose config</c> with every variable the file interpolates removed from the environment,
    /// so the output shows the file's own defaults whatever the machine has set.
    /// </summary>
    public static async Task<ProcessResult> ConfigAsync()
    {
        var executable = ProcessRunner.FindOnPath("docker-compose");
        if (executable is null)
        {
            Assert.Fail("docker-compose is not installed. `.ci/run` installs it (`apt-get install -y docker-compose`); on a workstation run that once.");
        }

        return await ProcessRunner.RunAsync(
            executable,
            ["--project-directory", RepositoryRoot.Path, "-f", FilePath, "config"],
            RepositoryRoot.Path,
            TimeSpan.FromMinutes(2),
            removeFromEnvironment: InterpolatedVariables());
    }

    /// <summary>Names used as <c>${NAME}</c>, <c>${NAME:-default}</c> and the like in the compose file, with their defaults (null if none).</summary>
    public static IReadOnlyDictionary<string, string?> Variables() =>
        Interpolation().Matches(File.ReadAllText(FilePath))
            .GroupBy(match => match.Groups["name"].Value, StringComparer.Ordinal)
            .ToDictionary(
                group => group.Key,
                group => group.Select(m => m.Groups["default"].Success ? m.Groups["default"].Value : null).FirstOrDefault(d => d is not null),
                StringComparer.Ordinal);

    private static IEnumerable<string> InterpolatedVariables() => Variables().Keys;

    // `$${X}` is an escaped dollar (left to the container's shell), not interpolation.
    [GeneratedRegex(@"(?<!\$)\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*))?\}")]
    private static partial Regex Interpolation();
}
