using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Shop.Hosting;

/// <summary>
/// Where the worker's logs go under the Functions host. The host prints every line the worker writes to stdout
/// (category <c>Host.Function.Console</c>: <c>func start</c> shows it, the Functions container's console logger too),
/// but it prints a log relayed over gRPC only inside a function invocation, and in OpenTelemetry mode
/// (<c>UseFunctionsWorkerDefaults</c>) not even there. <c>FunctionsApplication.CreateBuilder</c> removes the console
/// logger, so the consumers' and the relay's logs would reach no one without an OTLP collector. This puts the console
/// logger back, one line per record, and keeps the gRPC relay to the worker's own categories so nothing prints twice.
/// </summary>
public static class WorkerConsoleLogging
{
    /// <summary>The worker's logger that relays records to the Functions host over gRPC (an internal type of the worker).</summary>
    public const string HostRelayProvider = "Microsoft.Azure.Functions.Worker.Logging.WorkerLoggerProvider";

    /// <summary>The worker's own categories, which the host expects over gRPC (startup, function load failures).</summary>
    public const string WorkerCategory = "Microsoft.Azure.Functions.Worker";

    public static IHostApplicationBuilder AddWorkerConsoleLogging(this IHostApplicationBuilder builder)
    {
        // The host adds its own timestamp and reads stdout line by line: one record per line, no colour codes.
        // Logging:Console:FormatterName=json (and the rest of Logging:Console) still applies.
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.Configure<LoggerFilterOptions>(options =>
        {
            options.Rules.Add(new LoggerFilterRule(HostRelayProvider, categoryName: null, LogLevel.None, filter: null));
            options.Rules.Add(new LoggerFilterRule(HostRelayProvider, WorkerCategory, LogLevel.Information, filter: null));
        });
        return builder;
    }
}
