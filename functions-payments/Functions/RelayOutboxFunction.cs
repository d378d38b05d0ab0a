using Microsoft.Azure.Functions.Worker;
using Shop.Messaging.Outbox;

namespace Shop.Payments.Functions;

/// <summary>The safety net of the relay: commits wake it at once; this catches whatever a crash or outage left behind.</summary>
public sealed class RelayOutboxFunction(IOutboxRelay relay)
{
    [Function("RelayOutbox")]
    public Task Run([TimerTrigger("*/10 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        relay.DrainAsync(cancellationToken);
}
