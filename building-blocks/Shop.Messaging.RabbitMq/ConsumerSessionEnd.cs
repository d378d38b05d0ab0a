using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Shop.Messaging.RabbitMq;

/// <summary>
/// When a consumer's session is over: its channel closed, or the broker cancelled the consumer on its own
/// (basic.cancel, e.g. its queue deleted or lost track of as a quorum queue's replicas come and go), which leaves the
/// channel open and silent. Either way the session must end so the next one starts and declares its queue again.
/// </summary>
internal static class ConsumerSessionEnd
{
    /// <returns>A task that completes with the reason, whichever of the two comes first.</returns>
    public static Task<string> WatchAsync(IChannel channel, AsyncEventingBasicConsumer consumer)
    {
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, args) =>
        {
            ended.TrySetResult(args.ReplyText);
            return Task.CompletedTask;
        };
        consumer.UnregisteredAsync += (_, _) =>
        {
            ended.TrySetResult(channel.CloseReason?.ReplyText ?? "the broker cancelled the consumer");
            return Task.CompletedTask;
        };
        return ended.Task;
    }
}
