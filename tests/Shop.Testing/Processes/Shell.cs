using System.Diagnostics;

namespace Shop.FaultTests.Infrastructure;

/// <summary>Runs an administration command (service, pg_ctlcluster, rabbitmq-diagnostics) and reports how it ended.</summary>
public static class Shell
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string command, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start: {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command}' did not finish within {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, (await stdout + await stderr).Trim());
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
