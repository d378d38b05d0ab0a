namespace Shop.Messaging.RabbitMq;

/// <summary>
/// Keeps a broker session going for as long as the service runs: a session that fails or ends (its channel closed) is
/// started again after a backoff that grows with the failures in a row, counted afresh once a session says it is connected.
/// </summary>
internal static class BrokerReconnect
{
    /// <param name="session">Connects and consumes until its channel closes; calls its first argument once it is consuming.</param>
    /// <param name="failed">Told each failure and how many there have been in a row.</param>
    /// <param name="delay">The pause before the next session, given the failures in a row (at least 1).</param>
    public static async Task RunAsync(Func<Action, CancellationToken, Task> session, Action<Exception, int> failed, Func<int, TimeSpan> delay,
        CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await session(() => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures++;
                failed(exception, failures);
            }
            await Task.Delay(delay(Math.Max(failures, 1)), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
