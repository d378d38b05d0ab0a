using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Shop.Contracts;
using Shop.Messaging.RabbitMq;

namespace Shop.Admin;

/// <summary>Lists and replays the dead-letter queues the consumers fill (one <c>.dlq</c> per consumer queue).</summary>
public sealed class DeadLetterQueues : IAsyncDisposable
{
    private static readonly string[] DeathHeaders =
    [
        MessageHeaders.DeathReason, MessageHeaders.OriginalExchange, MessageHeaders.OriginalRoutingKey, MessageHeaders.OriginalQueue, MessageHeaders.DeadLetteredAt,
        .. DeadLetterHeaders.BrokerHeaders,
    ];

    private readonly IConnection _connection;

    private DeadLetterQueues(IConnection connection) => _connection = connection;

    public static async Task<DeadLetterQueues> ConnectAsync(string broker) =>
        new(await new ConnectionFactory { Uri = new Uri(broker), ClientProvidedName = "shop-admin" }.CreateConnectionAsync());

    /// <summary>Prints every dead letter and leaves it where it was: read without ack, then all requeued.</summary>
    public async Task<int> ListAsync(IReadOnlyList<string> queues, TextWriter output)
    {
        foreach (var queue in queues)
        {
            await using var channel = await _connection.CreateChannelAsync();
            var depth = await channel.QueueDeclarePassiveAsync(queue);
            output.WriteLine($"{queue}: {depth.MessageCount} dead letter(s)");
            ulong last = 0;
            for (var i = 0u; i < depth.MessageCount && await channel.BasicGetAsync(queue, autoAck: false) is { } message; i++)
            {
                last = message.DeliveryTag;
                var letter = DeadLetter.From(message);
                output.WriteLine($"  {letter.MessageId}  type {letter.Type}  order {letter.OrderId ?? "-"}  dead-lettered {letter.DeadLetteredAt ?? "-"}");
                output.WriteLine($"    reason: {letter.Reason ?? "(none)"}");
                output.WriteLine($"    from:   {letter.OriginalExchange ?? "?"} / {letter.OriginalRoutingKey ?? "?"} (queue {letter.OriginalQueue ?? "?"})");
            }
            if (last != 0)
            {
                await channel.BasicNackAsync(last, multiple: true, requeue: true);
            }
        }
        return 0;
    }

    /// <summary>
    /// Republishes dead letters to where they were first sent, with publisher confirms; a dead letter leaves its queue
    /// only after the broker confirmed the republished copy. Returns 0 when everything asked for was replayed.
    /// </summary>
    public async Task<int> ReplayAsync(string queue, string? messageId, TextWriter output)
    {
        await using var channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        // Only what is there now: a replayed message that fails again comes back to this queue and must not loop.
        var depth = (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        var kept = new List<ulong>();
        int replayed = 0, failed = 0;
        var found = false;
        for (var i = 0u; i < depth && !(found && messageId is not null); i++)
        {
            if (await channel.BasicGetAsync(queue, autoAck: false) is not { } message)
            {
                break;
            }
            var letter = DeadLetter.From(message);
            if (messageId is not null && letter.MessageId != messageId)
            {
                kept.Add(message.DeliveryTag);
                continue;
            }
            found = true;
            if (letter.OriginalExchange is null || letter.OriginalRoutingKey is null)
            {
                output.WriteLine($"  {letter.MessageId}: no {MessageHeaders.OriginalExchange}/{MessageHeaders.OriginalRoutingKey} header nor x-death record; left in {queue}");
                kept.Add(message.DeliveryTag);
                failed++;
                continue;
            }
            try
            {
                await channel.BasicPublishAsync(letter.OriginalExchange, letter.OriginalRoutingKey, mandatory: true, Republished(message), message.Body);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
                replayed++;
                output.WriteLine($"  {letter.MessageId} ({letter.Type}, order {letter.OrderId ?? "-"}) replayed to {letter.OriginalExchange} / {letter.OriginalRoutingKey}");
            }
            catch (Exception exception) when (exception is PublishException or OperationInterruptedException or AlreadyClosedException)
            {
                output.WriteLine($"  {letter.MessageId}: not confirmed ({exception.Message}); left in {queue}");
                failed++;
                if (channel.IsOpen)
                {
                    kept.Add(message.DeliveryTag);
                }
            }
        }
        foreach (var tag in kept.Where(_ => channel.IsOpen))
        {
            await channel.BasicNackAsync(tag, multiple: false, requeue: true);
        }

        output.WriteLine($"{queue}: {replayed} replayed, {failed} failed");
        if (messageId is not null && !found)
        {
            output.WriteLine($"{queue}: no dead letter with message id {messageId}");
            return 1;
        }
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The original message as it was first sent: same id, type, correlation and trace, without the dead-letter headers.</summary>
    private static BasicProperties Republished(BasicGetResult message)
    {
        var properties = new BasicProperties(message.BasicProperties) { Persistent = true };
        if (message.BasicProperties.Headers is { } headers)
        {
            properties.Headers = headers.Where(h => !DeathHeaders.Contains(h.Key)).ToDictionary(h => h.Key, h => h.Value);
        }
        return properties;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}

/// <summary>What an operator needs to see of one dead letter.</summary>
public sealed record DeadLetter(string? MessageId, string? Type, string? OrderId, string? Reason, string? DeadLetteredAt,
    string? OriginalExchange, string? OriginalRoutingKey, string? OriginalQueue)
{
    /// <summary>From the consumer's dead-letter headers, or from RabbitMQ's x-death record when the queue dead-lettered it itself.</summary>
    public static DeadLetter From(BasicGetResult message)
    {
        var properties = message.BasicProperties;
        var death = DeadLetterHeaders.Read(properties.Headers);
        return new DeadLetter(properties.MessageId, properties.Type, properties.CorrelationId,
            death.Reason, death.DeadLetteredAt, death.OriginalExchange, death.OriginalRoutingKey, death.OriginalQueue);
    }
}
