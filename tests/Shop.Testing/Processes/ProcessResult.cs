namespace Shop.Testing.Processes;

/// <summary>How a command ended: its exit code and what it wrote.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe() =>
        $"`{CommandLine}` exited {ExitCode}.{Environment.NewLine}stdout:{Environment.NewLine}{Tail(StandardOutput)}{Environment.NewLine}stderr:{Environment.NewLine}{Tail(StandardError)}";

    // Build logs run long; the failure is at the end.
    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
}
