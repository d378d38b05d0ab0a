using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Messaging.RabbitMq;

/// <summary>Moves a message that can never be applied to its queue's DLQ, with the reason; retried until the broker confirms.</summary>
internal sealed partial class DeadLetterPublisher(
    IMessagePublisher publisher, MessageTopology topology, IOptions<MessagingOptions> options, TimeProvider clock, ILogger<DeadLetterPublisher> logger)
{
    public async Task PublishAsync(string queue, Delivery delivery, string reason, Activity? activity, CancellationToken cancellationToken)
    {
        Guid.TryParse(delivery.MessageId, out var messageId);
        Guid.TryParse(delivery.CorrelationId, out var correlationId);
        var headers = new Dictionary<string, string>
        {
            [MessageHeaders.DeathReason] = reason,
            [MessageHeaders.OriginalExchange] = delivery.Exchange,
            [MessageHeaders.OriginalRoutingKey] = delivery.RoutingKey,
            [MessageHeaders.OriginalQueue] = queue,
            [MessageHeaders.DeadLetteredAt] = clock.GetUtcNow().ToString("O"),
        };
        var deadLetter = new OutgoingMessage(
            messageId == Guid.Empty ? Guid.CreateVersion7() : messageId,
            delivery.Type ?? "unknown",
            topology.DeadLetterExchange,
            queue,
            delivery.Body,
            correlationId,
            // The dead letter's publish span is a child of this delivery's span, and its header points there.
            activity?.Id ?? delivery.TraceParent,
            clock.GetUtcNow(),
            headers);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await publisher.PublishAsync(deadLetter, cancellationToken);
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var delay = Backoff.Delay(attempt, options.Value.MaxRetryDelay);
                LogRetrying(exception, deadLetter.MessageId, queue, attempt, delay);
                await Task.Delay(delay, clock, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {MessageId} from {Queue} not confirmed on attempt {Attempt}; retrying in {Delay}")]
    private partial void LogRetrying(Exception exception, Guid messageId, string queue, int attempt, TimeSpan delay);
}
