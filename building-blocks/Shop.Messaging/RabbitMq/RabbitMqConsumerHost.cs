using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Shop.Contracts;
using Shop.Messaging.Inbox;

namespace Shop.Messaging.RabbitMq;

/// <summary>
/// Consumes this service's durable queues inside the worker's own host (the Functions RabbitMQ binding is not
/// available here). Manual acks after commit, bounded prefetch, retries with backoff, dead letters with a
/// reason, and a reconnect loop that outlives broker restarts.
/// </summary>
internal sealed partial class RabbitMqConsumerHost(
    RabbitMqConnection connection,
    ConsumerRegistry registry,
    IServiceScopeFactory scopes,
    IMessagePublisher publisher,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<RabbitMqConsumerHost> logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelayCap = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(registry.Queues.Select(queue => ConsumeQueueAsync(queue, stoppingToken)));

    private async Task ConsumeQueueAsync(string queue, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var amqp = await connection.ConnectAsync($"consumer-{queue}", stoppingToken);
                await using var channel = await amqp.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false,
                        consumerDispatchConcurrency: options.Value.ConsumerConcurrency),
                    stoppingToken);
                await connection.DeclareTopologyAsync(channel, stoppingToken);
                await channel.BasicQosAsync(0, options.Value.Prefetch, global: false, stoppingToken);

                var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                channel.ChannelShutdownAsync += (_, args) =>
                {
                    closed.TrySetResult(args.ReplyText);
                    return Task.CompletedTask;
                };
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(channel, queue, delivery, stoppingToken);
                await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
                LogConsuming(queue, options.Value.Prefetch, options.Value.ConsumerConcurrency);
                failures = 0;

                var reason = await closed.Task.WaitAsync(stoppingToken);
                LogChannelClosed(queue, reason);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures++;
                LogBrokerUnavailable(exception, queue, failures);
            }
            // 400 ms, 800 ms … up to 5 s: a broker that comes back is found within seconds.
            await Task.Delay(Backoff.Delay(Math.Max(failures, 1) + 2, ReconnectDelayCap), stoppingToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task OnDeliveryAsync(IChannel channel, string queue, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        if (!channel.IsOpen)
        {
            // Prefetched before the connection died: it can no longer be acked and goes to the next consumer. Handling the
            // rest of the buffer quickly lets the dead connection close at once instead of after the client's 20 s timeout.
            return;
        }
        var properties = delivery.BasicProperties;
        var body = delivery.Body.ToArray(); // the broker's buffer is only valid during this call
        var traceParent = ReadHeader(properties.Headers, MessageHeaders.TraceParent);
        var started = Stopwatch.GetTimestamp();
        // The span covers the inbox check, the effect, the commit and the ack, as a child of the producer's publish span.
        using var activity = MessagingTelemetry.Source.StartActivity(
            MessagingTelemetry.ProcessSpanName(queue), ActivityKind.Consumer, MessagingTelemetry.ParseTraceParent(traceParent));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingTelemetry.System, MessagingTelemetry.RabbitMq);
            activity.SetTag(MessagingTelemetry.OperationType, "process");
            activity.SetTag(MessagingTelemetry.OperationName, "process");
            activity.SetTag(MessagingTelemetry.DestinationName, delivery.Exchange);
            activity.SetTag(MessagingTelemetry.RoutingKey, delivery.RoutingKey);
            activity.SetTag(MessagingTelemetry.ConsumerGroup, queue);
            activity.SetTag(MessagingTelemetry.MessageId, properties.MessageId);
            activity.SetTag(MessagingTelemetry.ConversationId, properties.CorrelationId);
            activity.SetTag(MessagingTelemetry.Type, properties.Type);
            activity.SetTag(MessagingTelemetry.BodySize, body.Length);
            activity.SetTag(MessagingTelemetry.DeliveryTag, (long)delivery.DeliveryTag);
        }
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["MessageId"] = properties.MessageId,
            ["MessageType"] = properties.Type,
            ["OrderId"] = properties.CorrelationId,
            ["Queue"] = queue,
            ["TraceId"] = activity?.TraceId.ToString() ?? MessagingTelemetry.ParseTraceParent(traceParent).TraceId.ToString(),
        });

        string outcome;
        try
        {
            var problem = Decode(queue, properties, body, out var registration, out var message, out var messageId);
            if (problem is not null)
            {
                await DeadLetterAsync(channel, queue, delivery, body, problem, activity, stoppingToken);
                outcome = MessagingMetrics.OutcomeDeadLettered;
            }
            else
            {
                var context = new MessageContext(messageId, registration!.Route.TypeName, queue, delivery.Redelivered, traceParent);
                outcome = await HandleWithRetriesAsync(channel, queue, delivery, body, registration, message!, context, activity, stoppingToken);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested || !channel.IsOpen)
        {
            // Not acked: the broker redelivers it to the next consumer, and the inbox absorbs a repeat.
            return;
        }

        activity?.SetTag(MessagingTelemetry.Outcome, outcome);
        var queueTag = Tag("queue", queue);
        var outcomeTag = Tag("outcome", outcome);
        MessagingMetrics.Consumed.Add(1, queueTag, outcomeTag);
        MessagingMetrics.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, queueTag, outcomeTag);
    }

    /// <returns>The outcome: applied, duplicate or dead_lettered.</returns>
    private async Task<string> HandleWithRetriesAsync(IChannel channel, string queue, BasicDeliverEventArgs delivery, byte[] body,
        ConsumerRegistration registration, object message, MessageContext context, Activity? activity, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            activity?.SetTag(MessagingTelemetry.Attempt, attempt);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var applied = await scope.ServiceProvider.GetRequiredService<IInboxProcessor>()
                    .ProcessAsync(registration, message, context, stoppingToken);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
                if (applied)
                {
                    LogApplied(context.MessageId, context.Type, delivery.BasicProperties.CorrelationId);
                    return MessagingMetrics.OutcomeApplied;
                }
                activity?.AddEvent(new ActivityEvent("duplicate absorbed by the inbox"));
                LogDuplicate(context.MessageId, context.Type, delivery.BasicProperties.CorrelationId);
                return MessagingMetrics.OutcomeDuplicate;
            }
            catch (PoisonMessageException poison)
            {
                await DeadLetterAsync(channel, queue, delivery, body, poison.Message, activity, stoppingToken);
                return MessagingMetrics.OutcomeDeadLettered;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && channel.IsOpen)
            {
                var transient = TransientFailures.IsTransient(exception);
                activity?.AddException(exception, new TagList { { MessagingTelemetry.Attempt, attempt }, { "shop.messaging.transient", transient } });
                if (!transient && attempt >= options.Value.MaxAttempts)
                {
                    await DeadLetterAsync(channel, queue, delivery, body,
                        $"failed after {attempt} attempts: {exception.GetType().Name}: {exception.Message}", activity, stoppingToken);
                    return MessagingMetrics.OutcomeDeadLettered;
                }
                var delay = Backoff.Delay(attempt, options.Value.MaxRetryDelay);
                MessagingMetrics.Retries.Add(1, Tag("queue", queue), Tag("transient", transient));
                LogRetrying(exception, context.MessageId, context.Type, attempt, transient, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    private string? Decode(string queue, IReadOnlyBasicProperties properties, byte[] body,
        out ConsumerRegistration? registration, out object? message, out Guid messageId)
    {
        registration = null;
        message = null;
        if (!Guid.TryParse(properties.MessageId, out messageId))
        {
            return $"message_id '{properties.MessageId}' is not a UUID";
        }
        registration = registry.Find(queue, properties.Type);
        if (registration is null)
        {
            return $"unknown message type '{properties.Type}' on queue {queue}";
        }
        try
        {
            message = registration.Deserialize(body);
        }
        catch (JsonException exception)
        {
            return $"body is not a valid {registration.Route.TypeName}: {exception.Message}";
        }
        return message is null ? $"body is not a valid {registration.Route.TypeName}: null" : null;
    }

    /// <summary>Moves a message that can never be applied to its queue's DLQ, with the reason, then acks it.</summary>
    private async Task DeadLetterAsync(IChannel channel, string queue, BasicDeliverEventArgs delivery, byte[] body, string reason,
        Activity? activity, CancellationToken stoppingToken)
    {
        var properties = delivery.BasicProperties;
        LogDeadLettering(properties.MessageId, properties.Type, queue, reason);
        activity?.SetStatus(ActivityStatusCode.Error, $"dead-lettered: {reason}");
        Guid.TryParse(properties.MessageId, out var messageId);
        Guid.TryParse(properties.CorrelationId, out var correlationId);
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
            properties.Type ?? "unknown",
            Contracts.ShopTopology.DeadLetterExchange,
            queue,
            body,
            correlationId,
            // The dead letter's publish span is a child of this delivery's span, and its header points there.
            activity?.Id ?? ReadHeader(properties.Headers, MessageHeaders.TraceParent),
            clock.GetUtcNow(),
            headers);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await publisher.PublishAsync(deadLetter, stoppingToken);
                break;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = Backoff.Delay(attempt, options.Value.MaxRetryDelay);
                LogRetrying(exception, messageId, properties.Type ?? "unknown", attempt, true, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static string? ReadHeader(IDictionary<string, object?>? headers, string name) => MessageHeaderValues.Read(headers, name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Queue} (prefetch {Prefetch}, concurrency {Concurrency})")]
    private partial void LogConsuming(string queue, ushort prefetch, ushort concurrency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel on {Queue} closed: {Reason}; reconnecting")]
    private partial void LogChannelClosed(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker unavailable for {Queue} ({Failures} failures in a row); reconnecting")]
    private partial void LogBrokerUnavailable(Exception exception, string queue, int failures);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Applied message {MessageId} ({MessageType}) for order {OrderId}")]
    private partial void LogApplied(Guid messageId, string messageType, string? orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate message {MessageId} ({MessageType}) for order {OrderId} absorbed by the inbox")]
    private partial void LogDuplicate(Guid messageId, string messageType, string? orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} ({MessageType}) failed on attempt {Attempt} (transient: {Transient}); retrying in {Delay}")]
    private partial void LogRetrying(Exception exception, Guid messageId, string messageType, int attempt, bool transient, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-lettering message {MessageId} ({MessageType}) from {Queue}: {Reason}")]
    private partial void LogDeadLettering(string? messageId, string? messageType, string queue, string reason);
}
