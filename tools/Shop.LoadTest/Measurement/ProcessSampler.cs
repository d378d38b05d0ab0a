namespace Shop.LoadTest.Measurement;

/// <summary>
/// Samples the system's processes from /proc once a second: resident memory (peak of the samples, and the kernel's
/// high-water mark) and CPU seconds used since sampling began. Processes are found by their command line.
/// The proportional set size is costly to read: the kernel walks a process's page tables to sum it, about 170 ms of
/// CPU for one round over the system's processes here (35 ms for RabbitMQ, 10 ms for each .NET app). Read every
/// second it took a sixth of a core from the system under test; read for all processes every tenth second, it took a
/// core away for those 170 ms: the slowest order of each tenth second took about 1.5 times as long as the slowest of
/// the other seconds. So each process's PSS is read in its own second of every <see cref="PssEvery"/>
/// (a tenth of the processes each second, by pid), and a group's PSS is the sum of its processes' latest reads.
/// All are read at the start and at the end.
/// </summary>
public sealed class ProcessSampler : IAsyncDisposable
{
    /// <summary>Group name and how to recognise its processes by command line (argv joined by spaces).</summary>
    private static readonly (string Name, string Marker)[] Groups =
    [
        ("orders", "Shop.Orders.dll"),
        ("payments", "Shop.Payments.dll"),
        ("gateway", "Shop.Gateway.dll"),
        ("postgres", "postgres"),
        ("rabbitmq", "beam.smp"),
    ];

    private static readonly double TicksPerSecond = 100; // USER_HZ is 100 on every Linux ABI .NET runs on.
    private const int PssEvery = 10;
    private int _samples;
    private readonly Dictionary<int, long> _baselineTicks = [];
    private readonly Dictionary<int, (string Group, long Ticks, long HwmKb)> _last = [];
    private readonly Dictionary<string, long> _peakRssKb = [];
    private readonly Dictionary<string, long> _peakPssKb = [];
    private readonly Dictionary<int, long> _pssKb = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly int _self = Environment.ProcessId;

    private readonly IReadOnlyList<int> _ports;
    private readonly (long Busy, long Total) _machineStart;
    private readonly string _loadAverageStart = LoadAverage();

    /// <param name="ports">The system's HTTP ports: an app whose <c>--urls</c> names another port is another system (a test's).</param>
    private ProcessSampler(IReadOnlyList<int> ports)
    {
        _ports = ports;
        _machineStart = MachineTicks();
        Sample(baseline: true, pssShare: null);
        _loop = LoopAsync();
    }

    public static ProcessSampler Start(IReadOnlyList<int> ports) => new(ports);

    /// <summary>CPU seconds the whole machine was busy while sampling, all cores added (others' work included).</summary>
    public double MachineBusySeconds { get; private set; }

    public string LoadAverages => $"{_loadAverageStart} → {LoadAverage()}";

    public async Task<IReadOnlyList<ProcessUsage>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample(baseline: false, pssShare: null);
        MachineBusySeconds = (MachineTicks().Busy - _machineStart.Busy) / TicksPerSecond;
        var names = Groups.Select(g => g.Name).Append("loadtest");
        return [.. names.Where(n => _peakRssKb.ContainsKey(n)).Select(name =>
        {
            var members = _last.Where(p => p.Value.Group == name).ToList();
            var cpuTicks = members.Sum(p => p.Value.Ticks - _baselineTicks.GetValueOrDefault(p.Key));
            return new ProcessUsage(name, members.Count, _peakRssKb[name] / 1024.0, _peakPssKb[name] / 1024.0,
                members.Count == 0 ? 0 : members.Max(p => p.Value.HwmKb) / 1024.0, cpuTicks / TicksPerSecond);
        })];
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample(baseline: false, pssShare: ++_samples % PssEvery);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <param name="pssShare">Read the PSS of the processes whose pid modulo <see cref="PssEvery"/> is this; null: of all.</param>
    private void Sample(bool baseline, int? pssShare)
    {
        var commandLines = new Dictionary<int, string>();
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    commandLines[pid] = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                    parents[pid] = ReadParent(Path.Combine(directory, "stat"));
                }
                catch (IOException)
                {
                    // The process ended between listing and reading.
                }
            }
        }
        var rssByGroup = new Dictionary<string, (long Rss, long Pss)>();
        foreach (var (pid, commandLine) in commandLines)
        {
            var group = pid == _self ? "loadtest" : GroupOf(pid, commandLine, commandLines, parents);
            if (group is null)
            {
                continue;
            }
            try
            {
                var directory = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture));
                var status = ReadStatus(Path.Combine(directory, "status"));
                if (pssShare is null || pid % PssEvery == pssShare)
                {
                    _pssKb[pid] = ReadStatus(Path.Combine(directory, "smaps_rollup")).GetValueOrDefault("Pss");
                }
                var pss = _pssKb.GetValueOrDefault(pid);
                var ticks = ReadCpuTicks(Path.Combine(directory, "stat"));
                if (baseline)
                {
                    _baselineTicks[pid] = ticks; // a process born later counts from zero
                }
                _last[pid] = (group, ticks, status.GetValueOrDefault("VmHWM"));
                var current = rssByGroup.GetValueOrDefault(group);
                rssByGroup[group] = (current.Rss + status.GetValueOrDefault("VmRSS"), current.Pss + pss);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                // Ended meanwhile, or not ours to read.
            }
        }
        foreach (var (group, rss) in rssByGroup)
        {
            _peakRssKb[group] = Math.Max(_peakRssKb.GetValueOrDefault(group), rss.Rss);
            _peakPssKb[group] = Math.Max(_peakPssKb.GetValueOrDefault(group), rss.Pss);
        }
    }

    /// <summary>
    /// The group of a process of this system: an app whose <c>--urls</c> port is one of the system's; the PostgreSQL
    /// and RabbitMQ servers on the default ports (the main cluster's postmaster and its children; beam.smp).
    /// </summary>
    private string? GroupOf(int pid, string commandLine, Dictionary<int, string> commandLines, Dictionary<int, int> parents)
    {
        foreach (var (name, marker) in Groups)
        {
            if (name == "postgres")
            {
                if (IsMainPostmaster(commandLine) || (parents.TryGetValue(pid, out var parent) && IsMainPostmaster(commandLines.GetValueOrDefault(parent, ""))))
                {
                    return name;
                }
                continue;
            }
            if (commandLine.Contains(marker, StringComparison.Ordinal) && (name == "rabbitmq" || ServesOurPort(commandLine)))
            {
                return name;
            }
        }
        return null;
    }

    private static bool IsMainPostmaster(string commandLine) =>
        commandLine.Contains("/bin/postgres", StringComparison.Ordinal) && commandLine.Contains("/main", StringComparison.Ordinal);

    private bool ServesOurPort(string commandLine)
    {
        var urls = commandLine.IndexOf("--urls", StringComparison.Ordinal);
        if (urls < 0)
        {
            return true;
        }
        var rest = commandLine[(urls + 6)..].TrimStart('=', ' ');
        var end = rest.IndexOf(' ', StringComparison.Ordinal);
        var url = end < 0 ? rest : rest[..end];
        var colon = url.LastIndexOf(':');
        return colon > 0 && int.TryParse(url[(colon + 1)..].TrimEnd('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && _ports.Contains(port);
    }

    private static int ReadParent(string statPath)
    {
        var stat = File.ReadAllText(statPath);
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static (long Busy, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total); // idle and iowait are not busy
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static Dictionary<string, long> ReadStatus(string path)
    {
        var values = new Dictionary<string, long>();
        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.EndsWith(" kB", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(colon + 1, line.Length - colon - 4).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                values[line[..colon]] = kb;
            }
        }
        return values;
    }

    /// <summary>utime + stime from /proc/pid/stat; fields counted after the command name, which may hold spaces.</summary>
    private static long ReadCpuTicks(string path)
    {
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
        }
        _stop.Dispose();
    }
}
