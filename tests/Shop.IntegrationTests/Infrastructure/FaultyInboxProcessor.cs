using Shop.Messaging;
using Shop.Messaging.Inbox;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Wraps the real inbox unit of work to stop the consumer after it committed, before its ack, as a crash would.</summary>
internal sealed class FaultyInboxProcessor(IInboxProcessor inner, InboxFault fault) : IInboxProcessor
{
    public async Task<bool> ProcessAsync(ConsumerRegistration registration, object message, MessageContext context, CancellationToken cancellationToken)
    {
        var applied = await inner.ProcessAsync(registration, message, context, cancellationToken);
        if (fault.HangAfterCommit)
        {
            fault.Committed.TrySetResult(context);
            // The process "dies" here: committed, never acked. Only the host's shutdown ends the wait.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        return applied;
    }
}

internal sealed class InboxFault
{
    public bool HangAfterCommit { get; init; }
    public TaskCompletionSource<MessageContext> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
