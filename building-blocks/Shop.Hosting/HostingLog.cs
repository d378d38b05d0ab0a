using Microsoft.Extensions.Logging;

namespace Shop.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Error, "Function {Function} failed handling {Method} {Path}")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string function, string method, string path);

    [LoggerMessage(2, LogLevel.Information, "Development host maps function {Function}: {Methods} /{Route}")]
    public static partial void HttpFunctionMapped(ILogger logger, string function, string methods, string route);

    [LoggerMessage(3, LogLevel.Information, "Development host schedules timer function {Function}: '{Schedule}' (run on startup: {RunOnStartup})")]
    public static partial void TimerScheduled(ILogger logger, string function, string schedule, bool runOnStartup);

    [LoggerMessage(4, LogLevel.Debug, "Timer function {Function} ran for {DueUtc:o}")]
    public static partial void TimerRan(ILogger logger, string function, DateTime dueUtc);

    [LoggerMessage(5, LogLevel.Error, "Timer function {Function} failed for {DueUtc:o}; the schedule continues")]
    public static partial void TimerFailed(ILogger logger, Exception exception, string function, DateTime dueUtc);

    [LoggerMessage(6, LogLevel.Warning,
        "Functions {Functions} need a function key, but {Setting} is not set: the development host serves them to anyone who reaches it")]
    public static partial void FunctionKeyNotSet(ILogger logger, string functions, string setting);
}
