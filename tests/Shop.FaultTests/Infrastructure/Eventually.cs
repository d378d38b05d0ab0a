using System.Diagnostics;

namespace Shop.FaultTests.Infrastructure;

/// <summary>Waits, within a bound, for an outcome the system promises (never a fixed sleep).</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            T value;
            try
            {
                value = await probe();
            }
            catch (Exception) when (clock.Elapsed < timeout) // e.g. a probe's own HTTP timeout while the app starts
            {
                await Task.Delay(delay);
                continue;
            }
            if (done(value))
            {
                return value;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last value: {value}");
            }
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }
}
