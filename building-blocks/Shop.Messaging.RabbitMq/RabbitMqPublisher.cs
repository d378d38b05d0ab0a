using System.Diagnostics;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Shop.Messaging.RabbitMq;

internal sealed class RabbitMqPublisher(RabbitMqConnection connection, IOptions<MessagingOptions> options) : IMessagePublisher
{
    public async ValueTask ConnectAsync(CancellationToken cancellationToken) => await connection.GetPublishChannelAsync(cancellationToken);

    public async Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        // The relay runs in the background with no trace of its own to continue: the producer span's parent is the span that
        // wrote the row (its stored traceparent), so the flow's trace goes on; the batch that carried it is linked instead.
        var parent = MessagingTelemetry.ParseTraceParent(message.TraceParent);
        using var activity = parent == default
            ? MessagingTelemetry.Source.StartActivity(MessagingTelemetry.PublishSpanName(message.Exchange), ActivityKind.Producer)
            : MessagingTelemetry.Source.StartActivity(MessagingTelemetry.PublishSpanName(message.Exchange), ActivityKind.Producer, parent,
                links: Activity.Current is { } batch ? [new ActivityLink(batch.Context)] : null);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingTelemetry.System, MessagingTelemetry.RabbitMq);
            activity.SetTag(MessagingTelemetry.OperationType, "send");
            activity.SetTag(MessagingTelemetry.OperationName, "publish");
            activity.SetTag(MessagingTelemetry.DestinationName, message.Exchange);
            activity.SetTag(MessagingTelemetry.RoutingKey, message.RoutingKey);
            activity.SetTag(MessagingTelemetry.MessageId, message.MessageId.ToString());
            activity.SetTag(MessagingTelemetry.ConversationId, message.CorrelationId.ToString());
            activity.SetTag(MessagingTelemetry.Type, message.Type);
            activity.SetTag(MessagingTelemetry.BodySize, message.Body.Length);
            activity.SetTag(MessagingTelemetry.Service, options.Value.ServiceName);
        }

        var channel = await connection.GetPublishChannelAsync(cancellationToken);
        var headers = new Dictionary<string, object?>();
        // The consumer's span becomes a child of this publish span; without a listener the stored traceparent still travels.
        var traceParent = activity?.Id ?? message.TraceParent;
        if (traceParent is not null)
        {
            headers[MessageHeaders.TraceParent] = traceParent;
        }
        if (message.Headers is not null)
        {
            foreach (var (key, value) in message.Headers)
            {
                headers[key] = value;
            }
        }

        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = message.MessageId.ToString(),
            Type = message.Type,
            ContentType = "application/json",
            CorrelationId = message.CorrelationId.ToString(),
            Timestamp = new AmqpTimestamp(message.CreatedAt.ToUnixTimeSeconds()),
            AppId = options.Value.ServiceName,
            Headers = headers,
        };
        var started = Stopwatch.GetTimestamp();
        var outcome = MessagingMetrics.OutcomeFailed;
        using var confirmWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        confirmWait.CancelAfter(options.Value.PublishConfirmTimeout);
        try
        {
            // With confirm tracking on, this completes on the broker's ack and throws on a nack or a return.
            await channel.BasicPublishAsync(message.Exchange, message.RoutingKey, mandatory: true, properties, message.Body, confirmWait.Token);
            outcome = MessagingMetrics.OutcomeConfirmed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var timeout = new TimeoutException(
                $"The broker did not confirm message {message.MessageId} ({message.Type}) within {options.Value.PublishConfirmTimeout.TotalSeconds:0.#} s");
            Failed(activity, timeout);
            connection.RetirePublishChannel(channel, $"A publish of message {message.MessageId} was not confirmed in time");
            throw timeout;
        }
        catch (Exception exception)
        {
            Failed(activity, exception);
            if (exception is PublishException { IsReturn: false })
            {
                connection.RetirePublishChannel(channel, $"The broker nacked message {message.MessageId}");
            }
            throw;
        }
        finally
        {
            MessagingMetrics.PublishDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("exchange", message.Exchange), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static void Failed(Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.AddException(exception);
    }
}
