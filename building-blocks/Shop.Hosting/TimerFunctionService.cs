using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.Hosting;

/// <summary>Runs one timer function on its schedule; runs are sequential, so they never overlap.</summary>
internal sealed class TimerFunctionService(
    TimerFunction timer,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<TimerFunctionService> logger) : BackgroundService
{
    // TimeProvider timers take at most ~49 days; long schedules are waited for in slices.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave host start-up at once, even when a synchronous function runs on startup.
        await Task.Yield();
        HostingLog.TimerScheduled(logger, timer.Name, timer.Trigger.Schedule, timer.Trigger.RunOnStartup);
        try
        {
            var cursor = UtcNow();
            DateTime? last = null;
            if (timer.Trigger.RunOnStartup)
            {
                await RunAsync(cursor, last, stoppingToken);
                last = cursor;
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                var now = UtcNow();
                // From the later of now and the last due time, so an early wake-up never runs one occurrence twice.
                var due = timer.Schedule.GetNextOccurrence(now > cursor ? now : cursor);
                await WaitUntilAsync(due, stoppingToken);
                await RunAsync(due, last, stoppingToken);
                last = due;
                cursor = due;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; this is the normal way out of the loop.
        }
    }

    private async Task RunAsync(DateTime due, DateTime? last, CancellationToken stoppingToken)
    {
        var started = UtcNow();
        var next = timer.Schedule.GetNextOccurrence(due);
        var info = new TimerInfo
        {
            // Past due when at least one whole occurrence was missed, e.g. the process was suspended.
            IsPastDue = next <= started,
            ScheduleStatus = new ScheduleStatus { Last = last ?? default, Next = next, LastUpdated = started },
        };

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await timer.InvokeAsync(scope.ServiceProvider, info, stoppingToken);
            HostingLog.TimerRan(logger, timer.Name, due);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A failed run is reported and the schedule goes on, as on the Functions host.
            HostingLog.TimerFailed(logger, ex, timer.Name, due);
        }
    }

    private async Task WaitUntilAsync(DateTime dueUtc, CancellationToken stoppingToken)
    {
        for (var remaining = dueUtc - UtcNow(); remaining > TimeSpan.Zero; remaining = dueUtc - UtcNow())
        {
            await Task.Delay(remaining < LongestWait ? remaining : LongestWait, time, stoppingToken);
        }
    }

    private DateTime UtcNow() => time.GetUtcNow().UtcDateTime;
}
