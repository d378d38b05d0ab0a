using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
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
    internal static readonly ActivitySource ActivitySource = new("Shop.Messaging");

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
                await RabbitMqTopology.DeclareAsync(channel, stoppingToken);
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
            await Task.Delay(Backoff.Delay(Math.Max(failures, 1) + 3, options.Value.MaxRetryDelay), stoppingToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task OnDeliveryAsync(IChannel channel, string queue, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        var properties = delivery.BasicProperties;
        var body = delivery.Body.ToArray(); // the broker's buffer is only valid during this call
        var traceParent = ReadHeader(properties.Headers, MessageHeaders.TraceParent);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["MessageId"] = properties.MessageId,
            ["MessageType"] = properties.Type,
            ["OrderId"] = properties.CorrelationId,
            ["Queue"] = queue,
        });
        ActivityContext.TryParse(traceParent, null, out var parent);
        using var activity = ActivitySource.StartActivity($"{queue} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.message.id", properties.MessageId);
        activity?.SetTag("messaging.destination.name", queue);

        try
        {
            var problem = Decode(queue, properties, body, out var registration, out var message, out var messageId);
            if (problem is not null)
            {
                await DeadLetterAsync(channel, queue, delivery, body, problem, stoppingToken);
                return;
            }
            var context = new MessageContext(messageId, registration!.Route.TypeName, queue, delivery.Redelivered, traceParent);
            await HandleWithRetriesAsync(channel, queue, delivery, body, registration, message!, context, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Not acked: the broker redelivers it to the next consumer, and the inbox absorbs a repeat.
        }
    }

    private async Task HandleWithRetriesAsync(IChannel channel, string queue, BasicDeliverEventArgs delivery, byte[] body,
        ConsumerRegistration registration, object message, MessageContext context, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var applied = await scope.ServiceProvider.GetRequiredService<IInboxProcessor>()
                    .ProcessAsync(registration, message, context, stoppingToken);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
                MessagingMetrics.Consumed.Add(1, Tag("queue", queue), Tag("outcome", applied ? MessagingMetrics.OutcomeApplied : MessagingMetrics.OutcomeDuplicate));
                if (applied)
                {
                    LogApplied(context.MessageId, context.Type, delivery.BasicProperties.CorrelationId);
                }
                else
                {
                    LogDuplicate(context.MessageId, context.Type, delivery.BasicProperties.CorrelationId);
                }
                return;
            }
            catch (PoisonMessageException poison)
            {
                await DeadLetterAsync(channel, queue, delivery, body, poison.Message, stoppingToken);
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                var transient = TransientFailures.IsTransient(exception);
                if (!transient && attempt >= options.Value.MaxAttempts)
                {
                    await DeadLetterAsync(channel, queue, delivery, body,
                        $"failed after {attempt} attempts: {exception.GetType().Name}: {exception.Message}", stoppingToken);
                    return;
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
    private async Task DeadLetterAsync(IChannel channel, string queue, BasicDeliverEventArgs delivery, byte[] body, string reason, CancellationToken stoppingToken)
    {
        var properties = delivery.BasicProperties;
        LogDeadLettering(properties.MessageId, properties.Type, queue, reason);
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
            ReadHeader(properties.Headers, MessageHeaders.TraceParent),
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
        MessagingMetrics.Consumed.Add(1, Tag("queue", queue), Tag("outcome", MessagingMetrics.OutcomeDeadLettered));
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static string? ReadHeader(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => value?.ToString(),
            }
            : null;

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
