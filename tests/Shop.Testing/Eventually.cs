namespace Shop.Testing;

/// <summary>Waits, within a bound, for an asynchronous outcome the system promises (never a fixed sleep).</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <param name="retryProbeErrors">
    /// Treat a probe that throws as "not yet" until the timeout (e.g. a probe's own HTTP timeout while an app starts or a
    /// server is down); otherwise the probe's exception fails the wait at once.
    /// </param>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, bool retryProbeErrors = false)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            T value;
            try
            {
                value = await probe();
            }
            catch (Exception) when (retryProbeErrors && clock.Elapsed < limit)
            {
                await Task.Delay(delay);
                continue;
            }
            if (done(value))
            {
                return value;
            }
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0} s waiting for {what}; last value: {value}");
            }
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }
}
