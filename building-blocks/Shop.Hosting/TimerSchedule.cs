using System.Globalization;
using NCrontab;

namespace Shop.Hosting;

/// <summary>A <c>[TimerTrigger]</c> schedule: a 6-field (with seconds) or 5-field cron expression, or a TimeSpan interval.</summary>
internal sealed class TimerSchedule
{
    private readonly Func<DateTime, DateTime> _next;

    private TimerSchedule(Func<DateTime, DateTime> next) => _next = next;

    public static TimerSchedule Parse(string functionName, string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        if (fields is 5 or 6)
        {
            try
            {
                var cron = CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
                return new TimerSchedule(cron.GetNextOccurrence);
            }
            catch (CrontabException ex)
            {
                throw new InvalidOperationException($"Timer function '{functionName}' has an invalid schedule '{expression}'.", ex);
            }
        }

        // The Functions host also accepts a TimeSpan ("00:30:00") as an interval.
        if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(after => after + interval);
        }

        throw new InvalidOperationException(
            $"Timer function '{functionName}' has schedule '{expression}', which is neither a 5- or 6-field cron expression nor a TimeSpan.");
    }

    /// <summary>The first occurrence strictly after <paramref name="afterUtc"/>.</summary>
    public DateTime GetNextOccurrence(DateTime afterUtc) => _next(afterUtc);
}
