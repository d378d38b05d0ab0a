using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Messaging.Outbox;

/// <summary>Runs the relay as soon as a commit wrote outbox rows; the timer function is only the safety net.</summary>
internal sealed class OutboxRelayWorker(IOutboxRelay relay, IOutboxSignal signal, IOptions<MessagingOptions> options, ILogger<OutboxRelayWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        signal.Notify(); // drain whatever an earlier run left behind
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(stoppingToken);
                var result = await relay.DrainAsync(stoppingToken);
                if (result.Failed == 0)
                {
                    failures = 0;
                    continue;
                }
                failures++;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures++;
                logger.LogError(exception, "Outbox relay round failed ({Failures} in a row); retrying", failures);
            }

            var delay = Backoff.Delay(failures, options.Value.MaxRetryDelay);
            await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            signal.Notify();
        }
    }
}
