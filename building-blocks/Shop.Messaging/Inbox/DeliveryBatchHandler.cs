using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging.Inbox;

/// <summary>
/// Handles a batch of deliveries from one queue: undecodable ones go to the queue's DLQ alone; the rest go through the
/// inbox in one transaction and are acked after its commit. A transient failure (database or broker down) retries the
/// batch, unacked, with backoff. Any other failure of a batch of several rolls it back and applies its messages one by
/// one, so a poison message is dead-lettered alone and the others are applied once.
/// </summary>
internal sealed partial class DeliveryBatchHandler(
    ConsumerRegistry registry,
    EventContract contract,
    IServiceScopeFactory scopes,
    DeadLetterPublisher deadLetters,
    IOptions<MessagingOptions> options,
    ILogger<DeliveryBatchHandler> logger) : IDeliveryBatchHandler
{
    public IEnumerable<string> Queues => registry.Queues;

    // Templates built from the contract, so the lines name a message's correlation as the app's events do.
    private readonly string _correlationProperty = contract.CorrelationLogProperty;

    private readonly Action<ILogger, Guid, string, string?, Exception?> _applied = LoggerMessage.Define<Guid, string, string?>(
        LogLevel.Debug, default, $"Applied message {{MessageId}} ({{MessageType}}) for {contract.CorrelationName} {{{contract.CorrelationLogProperty}}}");

    private readonly Action<ILogger, Guid, string, string?, Exception?> _duplicate = LoggerMessage.Define<Guid, string, string?>(
        LogLevel.Information, default,
        $"Duplicate message {{MessageId}} ({{MessageType}}) for {contract.CorrelationName} {{{contract.CorrelationLogProperty}}} absorbed by the inbox");

    private sealed record Item(Delivery Delivery, InboxItem Inbox);

    public async Task HandleAsync(string queue, IReadOnlyList<Delivery> batch, DeliveryAcks acks, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var items = new List<Item>(batch.Count);
        List<(Delivery Delivery, string Problem)>? undecodable = null;
        foreach (var delivery in batch)
        {
            if (Decode(queue, delivery, out var item) is { } problem)
            {
                (undecodable ??= []).Add((delivery, problem));
            }
            else
            {
                items.Add(item!);
            }
        }
        var outer = Activity.Current;
        foreach (var item in items)
        {
            item.Inbox.Context.Activity = StartProcessSpan(queue, item.Delivery);
        }
        Activity.Current = outer;
        using var scope = batch.Count == 1
            ? logger.BeginScope(new Dictionary<string, object?>
            {
                ["MessageId"] = batch[0].MessageId, ["MessageType"] = batch[0].Type, [_correlationProperty] = batch[0].CorrelationId, ["Queue"] = queue,
            })
            : logger.BeginScope(new Dictionary<string, object?> { ["Queue"] = queue, ["BatchSize"] = batch.Count });

        // Undecodable deliveries never reach the inbox.
        foreach (var (delivery, problem) in undecodable ?? [])
        {
            await DeadLetterAsync(queue, delivery, problem, activity: null, acks, started, cancellationToken);
        }
        try
        {
            if (items.Count > 0)
            {
                await ApplyAsync(queue, items, acks, started, cancellationToken);
            }
        }
        finally
        {
            foreach (var item in items)
            {
                item.Inbox.Context.Activity?.Stop();
            }
            Activity.Current = outer;
        }
    }

    private async Task ApplyAsync(string queue, List<Item> items, DeliveryAcks acks, long started, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            foreach (var item in items)
            {
                item.Inbox.Context.Activity?.SetTag(MessagingTelemetry.Attempt, attempt);
            }
            try
            {
                bool[] applied;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    applied = await scope.ServiceProvider.GetRequiredService<IInboxProcessor>()
                        .ProcessAsync(items.ConvertAll(item => item.Inbox), cancellationToken);
                }
                await acks.AckAsync(items.ConvertAll(item => item.Delivery.Tag));
                for (var i = 0; i < items.Count; i++)
                {
                    var outcome = applied[i] ? MessagingMetrics.OutcomeApplied : MessagingMetrics.OutcomeDuplicate;
                    Finish(queue, items[i], outcome, started);
                    if (!applied[i])
                    {
                        items[i].Inbox.Context.Activity?.AddEvent(new ActivityEvent("duplicate absorbed by the inbox"));
                        LogDuplicate(items[i].Inbox.Context.MessageId, items[i].Inbox.Context.Type, items[i].Delivery.CorrelationId);
                    }
                }
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && items.Count > 1 && IsLasting(exception))
            {
                // One of them cannot be applied: apply each alone, so only that one fails (and goes to the DLQ).
                LogSplitting(exception, items.Count, queue, items[0].Inbox.Context.MessageId);
                foreach (var item in items)
                {
                    await ApplyAsync(queue, [item], acks, started, cancellationToken);
                }
                return;
            }
            catch (PoisonMessageException poison)
            {
                await DeadLetterAsync(queue, items[0].Delivery, poison.Message, items[0].Inbox.Context.Activity, acks, started, cancellationToken);
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var transient = TransientFailures.IsTransient(exception);
                foreach (var item in items)
                {
                    item.Inbox.Context.Activity?.AddException(exception,
                        new TagList { { MessagingTelemetry.Attempt, attempt }, { "shop.messaging.transient", transient } });
                }
                if (!transient && attempt >= options.Value.MaxAttempts)
                {
                    await DeadLetterAsync(queue, items[0].Delivery, $"failed after {attempt} attempts: {exception.GetType().Name}: {exception.Message}",
                        items[0].Inbox.Context.Activity, acks, started, cancellationToken);
                    return;
                }
                var delay = Backoff.Delay(attempt, options.Value.MaxRetryDelay);
                MessagingMetrics.Retries.Add(1, Tag("queue", queue), Tag("transient", transient));
                LogRetrying(exception, items.Count, items[0].Inbox.Context.MessageId, items[0].Inbox.Context.Type, attempt, transient, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private static bool IsLasting(Exception exception) => exception is PoisonMessageException || !TransientFailures.IsTransient(exception);

    /// <returns>Why the delivery cannot be applied, in words for the DLQ's reason header; null when <paramref name="item"/> is set.</returns>
    private string? Decode(string queue, Delivery delivery, out Item? item)
    {
        item = null;
        if (!Guid.TryParse(delivery.MessageId, out var messageId))
        {
            return $"message_id '{delivery.MessageId}' is not a UUID";
        }
        if (registry.Find(queue, delivery.Type) is not { } registration)
        {
            return $"unknown message type '{delivery.Type}' on queue {queue}";
        }
        object? message;
        try
        {
            message = registration.Deserialize(delivery.Body);
        }
        catch (JsonException exception)
        {
            return $"body is not a valid {registration.Route.TypeName}: {exception.Message}";
        }
        if (message is null)
        {
            return $"body is not a valid {registration.Route.TypeName}: null";
        }
        item = new Item(delivery, new InboxItem(registration, message,
            new MessageContext(messageId, registration.Route.TypeName, queue, delivery.Redelivered, delivery.TraceParent)));
        return null;
    }

    private async Task DeadLetterAsync(string queue, Delivery delivery, string reason, Activity? activity, DeliveryAcks acks, long started,
        CancellationToken cancellationToken)
    {
        LogDeadLettering(delivery.MessageId, delivery.Type, queue, reason);
        activity?.SetStatus(ActivityStatusCode.Error, $"dead-lettered: {reason}");
        await deadLetters.PublishAsync(queue, delivery, reason, activity, cancellationToken);
        await acks.AckAsync([delivery.Tag]);
        MessagingMetrics.Consumed.Add(1, Tag("queue", queue), Tag("outcome", MessagingMetrics.OutcomeDeadLettered));
        MessagingMetrics.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            Tag("queue", queue), Tag("outcome", MessagingMetrics.OutcomeDeadLettered));
        activity?.SetTag(MessagingTelemetry.Outcome, MessagingMetrics.OutcomeDeadLettered);
    }

    private void Finish(string queue, Item item, string outcome, long started)
    {
        item.Inbox.Context.Activity?.SetTag(MessagingTelemetry.Outcome, outcome);
        MessagingMetrics.Consumed.Add(1, Tag("queue", queue), Tag("outcome", outcome));
        MessagingMetrics.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, Tag("queue", queue), Tag("outcome", outcome));
        if (outcome == MessagingMetrics.OutcomeApplied)
        {
            LogApplied(item.Inbox.Context.MessageId, item.Inbox.Context.Type, item.Delivery.CorrelationId);
        }
    }

    /// <summary>The span covers the inbox check, the effect, the commit and the ack, as a child of the producer's publish span.</summary>
    private static Activity? StartProcessSpan(string queue, Delivery delivery)
    {
        var activity = MessagingTelemetry.Source.StartActivity(
            MessagingTelemetry.ProcessSpanName(queue), ActivityKind.Consumer, MessagingTelemetry.ParseTraceParent(delivery.TraceParent));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingTelemetry.System, MessagingTelemetry.RabbitMq);
            activity.SetTag(MessagingTelemetry.OperationType, "process");
            activity.SetTag(MessagingTelemetry.OperationName, "process");
            activity.SetTag(MessagingTelemetry.DestinationName, delivery.Exchange);
            activity.SetTag(MessagingTelemetry.RoutingKey, delivery.RoutingKey);
            activity.SetTag(MessagingTelemetry.ConsumerGroup, queue);
            activity.SetTag(MessagingTelemetry.MessageId, delivery.MessageId);
            activity.SetTag(MessagingTelemetry.ConversationId, delivery.CorrelationId);
            activity.SetTag(MessagingTelemetry.Type, delivery.Type);
            activity.SetTag(MessagingTelemetry.BodySize, delivery.Body.Length);
            activity.SetTag(MessagingTelemetry.DeliveryTag, (long)delivery.Tag);
        }
        return activity;
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private void LogApplied(Guid messageId, string messageType, string? correlationId) => _applied(logger, messageId, messageType, correlationId, null);

    private void LogDuplicate(Guid messageId, string messageType, string? correlationId) => _duplicate(logger, messageId, messageType, correlationId, null);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A batch of {Count} messages from {Queue} (first {MessageId}) failed; applying them one by one")]
    private partial void LogSplitting(Exception exception, int count, string queue, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Count} message(s), first {MessageId} ({MessageType}), failed on attempt {Attempt} (transient: {Transient}); retrying in {Delay}")]
    private partial void LogRetrying(Exception exception, int count, Guid messageId, string messageType, int attempt, bool transient, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-lettering message {MessageId} ({MessageType}) from {Queue}: {Reason}")]
    private partial void LogDeadLettering(string? messageId, string? messageType, string queue, string reason);
}
