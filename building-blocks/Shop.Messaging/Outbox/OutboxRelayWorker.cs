using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging.Outbox;

/// <summary>
/// Runs the relay at start and whenever rows were left to it (a dispatch that was not confirmed, a full dispatch queue,
/// or every commit when dispatch on commit is off), and again with backoff while rounds fail. The timer function is
/// the safety net beside it.
/// </summary>
internal sealed class OutboxRelayWorker(
    IOutboxRelay relay, IOutboxSignal signal, IOptions<MessagingOptions> options, TimeProvider clock, ILogger<OutboxRelayWorker> logger)
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
                // The relay only takes rows older than the grace: wait until the ones this signal is about qualify.
                var grace = options.Value.EffectiveRelayGrace;
                if (grace > TimeSpan.Zero)
                {
                    await Task.Delay(grace, clock, stoppingToken);
                }
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
            await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            signal.Notify();
        }
    }
}
