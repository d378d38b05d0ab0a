using Microsoft.Azure.Functions.Worker;
using Shop.Messaging;

namespace Shop.Payments.Operations;

/// <summary>Removes published outbox rows and inbox records past their retention (Messaging:OutboxRetention, Messaging:InboxRetention).</summary>
public sealed class CleanupMessagingFunction(IMessagingCleanup cleanup)
{
    [Function("CleanupMessaging")]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanup.RunAsync(cancellationToken);
}
