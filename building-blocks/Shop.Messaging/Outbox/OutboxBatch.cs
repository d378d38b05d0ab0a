using Shop.Messaging.RabbitMq;
using System.Diagnostics;
using System.Text;

namespace Shop.Messaging.Outbox;

/// <summary>What the relay and the commit-time dispatch do alike with a batch of outbox rows: its span, its publishes, its counts.</summary>
internal static class OutboxBatch
{
    /// <summary>A span of its own per batch, linked to the trace of every row it carries rather than joining one of them.</summary>
    public static Activity? StartSpan(string name, IReadOnlyList<OutboxMessage> batch, string service, DateTimeOffset startTime = default) =>
        MessagingTelemetry.Source.StartActivity(name, ActivityKind.Internal, parentContext: default,
            tags: [new(MessagingTelemetry.BatchCount, batch.Count), new(MessagingTelemetry.Service, service)],
            links: batch.Select(m => MessagingTelemetry.ParseTraceParent(m.TraceParent)).Where(c => c != default).Select(c => new ActivityLink(c)).ToList(),
            startTime: startTime);

    /// <summary>Publishes the whole batch at once, in its order, each completing on its own confirm.</summary>
    /// <returns>Per row, in order: null when the broker confirmed it, else the error (the row stays unpublished).</returns>
    public static async Task<Exception?[]> PublishAllAsync(IMessagePublisher publisher, IReadOnlyList<OutboxMessage> batch,
        CancellationToken cancellationToken)
    {
        try
        {
            // Publishes that wait for the channel to open resume in parallel, out of order: the relay's creation order
            // holds only if the channel is open before the first of them starts.
            await publisher.ConnectAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return [.. batch.Select(_ => exception)];
        }
        return await Task.WhenAll(batch.Select(message => PublishAsync(publisher, message, cancellationToken)));
    }

    /// <summary>Counts the batch's confirmed and failed rows and marks its span failed if any failed.</summary>
    public static void Record(Activity? activity, string service, int count, int failed)
    {
        var tag = new KeyValuePair<string, object?>("service", service);
        MessagingMetrics.Published.Add(count - failed, tag);
        if (failed > 0)
        {
            MessagingMetrics.PublishFailures.Add(failed, tag);
            activity?.SetStatus(ActivityStatusCode.Error, $"{failed} of {count} not confirmed");
        }
    }

    private static async Task<Exception?> PublishAsync(IMessagePublisher publisher, OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(
                new OutgoingMessage(message.Id, message.Type, message.Exchange, message.RoutingKey, Encoding.UTF8.GetBytes(message.Payload),
                    message.CorrelationId, message.TraceParent, message.CreatedAt),
                cancellationToken);
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Reported per row by the caller, which leaves the row unpublished.
            return exception;
        }
    }
}
