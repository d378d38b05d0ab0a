namespace Shop.Testing.Processes;

/// <summary>Runs an administration command line (service, pg_ctlcluster, rabbitmq-diagnostics) through bash and reports how it ended.</summary>
public static class Shell
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string command, TimeSpan timeout)
    {
        var result = await ProcessRunner.RunAsync("bash", ["-c", command], workingDirectory: null, timeout);
        return (result.ExitCode, (result.StandardOutput + result.StandardError).Trim());
    }

    public static async Task RunCheckedAsync(string command, TimeSpan timeout)
    {
        var (exitCode, output) = await RunAsync(command, timeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' exited with {exitCode}: {output}");
        }
    }
}
