using Shop.Messaging;
using Shop.Messaging.Inbox;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Wraps the real inbox unit of work to inject a fault around it: before it runs, or after it committed.</summary>
internal sealed class FaultyInboxProcessor(IInboxProcessor inner, InboxFault fault) : IInboxProcessor
{
    public async Task<bool> ProcessAsync(ConsumerRegistration registration, object message, MessageContext context, CancellationToken cancellationToken)
    {
        if (fault.FailuresBefore > 0 && Interlocked.Decrement(ref fault.FailuresBefore) >= 0)
        {
            throw fault.CreateFailure();
        }
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
    public int FailuresBefore;
    public bool HangAfterCommit { get; init; }
    public Func<Exception> CreateFailure { get; init; } = () => new TimeoutException("injected: the database did not answer");
    public TaskCompletionSource<MessageContext> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
