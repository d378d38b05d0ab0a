using Microsoft.Azure.Functions.Worker;
using Shop.Messaging.Outbox;

namespace Shop.Payments.Operations;

/// <summary>
/// The outbox's safety net: the commit-time dispatch publishes each commit's rows and the relay worker takes over what it
/// could not; every 10 s this timer relays whatever a crash or an outage still left unpublished.
/// </summary>
public sealed class RelayOutboxFunction(IOutboxRelay relay)
{
    [Function("RelayOutbox")]
    public Task Run([TimerTrigger("*/10 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        relay.DrainAsync(cancellationToken);
}
