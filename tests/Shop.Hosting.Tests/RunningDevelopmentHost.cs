namespace Shop.Hosting.Tests;

/// <summary>The development host serving the sample functions on a free loopback port.</summary>
public sealed class RunningDevelopmentHost : IAsyncDisposable
{
    private static readonly TimeSpan StartStopTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private RunningDevelopmentHost(WebApplication app, TimerProbe probe, CapturingLoggerProvider logs)
    {
        _app = app;
        Probe = probe;
        Logs = logs;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public HttpClient Client { get; }

    public TimerProbe Probe { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <param name="clock">The time the timers run on; the system clock without it.</param>
    /// <param name="functions">The functions to serve; every sample function without it.</param>
    /// <param name="settings">More command-line settings, e.g. <c>--Functions:HostKey=…</c>.</param>
    public static async Task<RunningDevelopmentHost> StartAsync(TimeProvider? clock = null, IReadOnlyList<FunctionDescriptor>? functions = null,
        params string[] settings)
    {
        var probe = new TimerProbe();
        var logs = new CapturingLoggerProvider();
        string[] args = ["--dev-host", "--urls", "http://127.0.0.1:0", .. settings];
        var app = DevelopmentHost.Build(args, functions ?? DevelopmentHost.Discover(typeof(GetItemFunction).Assembly), builder =>
        {
            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }
            builder.Services.AddSingleton(probe);
            builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        });

        using var timeout = new CancellationTokenSource(StartStopTimeout);
        await app.StartAsync(timeout.Token);
        return new RunningDevelopmentHost(app, probe, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var timeout = new CancellationTokenSource(StartStopTimeout);
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
