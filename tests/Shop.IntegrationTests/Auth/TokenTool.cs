using System.Reflection;

namespace Shop.IntegrationTests.Auth;

/// <summary>Runs tools/Shop.Admin (its build output, same configuration as the tests) as a process.</summary>
public static class TokenTool
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var configuration = typeof(TokenTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var dll = Path.Combine(RepositoryPaths.Root, "tools", "Shop.Admin", "bin", configuration, "net10.0", "Shop.Admin.dll");
        Assert.True(File.Exists(dll), $"{dll} does not exist; build tools/Shop.Admin first.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The key comes from the command line only: an Auth__SigningKey of the machine must not leak into the test.
        start.Environment.Remove("Auth__SigningKey");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
