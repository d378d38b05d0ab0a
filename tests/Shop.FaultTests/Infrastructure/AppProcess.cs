namespace Shop.FaultTests.Infrastructure;

/// <summary>
/// One app as a real child process (<c>dotnet App.dll …</c>) on a fixed loopback port, so a kill is a real SIGKILL
/// and a restart starts a new process on the same port. Its output goes to a log file of the run.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _dll;
    private readonly IReadOnlyList<string> _arguments;
    private readonly string _logFile;
    private Process? _process;
    private StreamWriter? _log;
    private int _starts;

    public AppProcess(string name, string dll, int port, IReadOnlyList<string> arguments, string logDirectory)
    {
        Name = name;
        _dll = dll;
        Port = port;
        _arguments = arguments;
        _logFile = Path.Combine(logDirectory, name + ".log");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build the solution ({FaultEnvironment.Configuration}) first.", dll);
        }
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public string LogFile => _logFile;
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The running process's id: the same id over a stretch of time means the app never restarted in it.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>Set for every start from then on, e.g. <c>RabbitMq__QueueType</c>.</summary>
    public Dictionary<string, string> EnvironmentVariables { get; } = new(StringComparer.Ordinal);

    /// <param name="healthyStatus">The status of <paramref name="healthPath"/> that means started (503 for an app expected to report a problem).</param>
    public async Task StartAsync(string healthPath = "health", TimeSpan? timeout = null, int healthyStatus = 200)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is running already.");
        }
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
        };
        start.ArgumentList.Add(_dll);
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (name, value) in EnvironmentVariables)
        {
            start.Environment[name] = value;
        }

        _log ??= new StreamWriter(_logFile, append: true) { AutoFlush = true };
        await _log.WriteLineAsync($"==== start #{++_starts} at {DateTime.UtcNow:O}: dotnet {string.Join(' ', start.ArgumentList)}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        await Eventually.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting; see {_logFile}");
                }
                using var response = await Probe.GetAsync(new Uri(BaseAddress, healthPath));
                return (int)response.StatusCode;
            },
            status => status == healthyStatus,
            $"{Name} on port {Port} to answer {healthPath} with {healthyStatus} (log {_logFile})",
            timeout ?? TimeSpan.FromSeconds(60), retryProbeErrors: true);
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful drain; unacked deliveries and unpublished outbox rows are left as they are.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process && !process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Write($"==== killed (SIGKILL) at {DateTime.UtcNow:O}");
        }
        _process?.Dispose();
        _process = null;
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logFile)
        {
            _log?.WriteLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        lock (_logFile)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}
