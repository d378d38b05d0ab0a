using Shop.Messaging.RabbitMq;

namespace Shop.Testing;

/// <summary>Publishes, peeks at and drains raw messages in a test run's virtual host: duplicates, poison, forged results, dead letters.</summary>
public sealed class RawBroker : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private RawBroker(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RawBroker> ConnectAsync(string uri)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(uri), ClientProvidedName = "raw-broker" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new RawBroker(connection, channel);
    }

    public IChannel Channel => _channel;

    /// <summary>Publishes persistent and mandatory, and returns once the broker confirmed it.</summary>
    public async Task PublishAsync(string exchange, string routingKey, string? type, byte[] body, Guid? messageId = null, Guid? correlationId = null)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            Type = type,
            MessageId = (messageId ?? Guid.NewGuid()).ToString(),
            CorrelationId = correlationId?.ToString(),
            ContentType = "application/json",
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
        };
        await _channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body);
    }

    public Task PublishAsync(string exchange, string routingKey, string? type, string body, Guid? messageId = null, Guid? correlationId = null) =>
        PublishAsync(exchange, routingKey, type, Encoding.UTF8.GetBytes(body), messageId, correlationId);

    /// <summary>Reads every message in the queue and puts them all back (nack with requeue once all were read).</summary>
    public async Task<List<PeekedMessage>> PeekAsync(string queue)
    {
        await using var channel = await _connection.CreateChannelAsync();
        var messages = new List<PeekedMessage>();
        ulong lastTag = 0;
        while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
        {
            lastTag = message.DeliveryTag;
            var death = DeadLetterHeaders.Read(message.BasicProperties.Headers);
            messages.Add(new PeekedMessage(
                message.BasicProperties.MessageId, message.BasicProperties.Type, message.BasicProperties.CorrelationId,
                death.Reason, death.OriginalExchange, death.OriginalRoutingKey, Encoding.UTF8.GetString(message.Body.Span)));
        }
        if (lastTag != 0)
        {
            await channel.BasicNackAsync(lastTag, multiple: true, requeue: true);
        }
        return messages;
    }

    /// <summary>Takes every message now in the queue (acking them), e.g. to read a dead-letter queue.</summary>
    public async Task<List<BasicGetResult>> DrainAsync(string queue)
    {
        var messages = new List<BasicGetResult>();
        while (await _channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            messages.Add(message);
        }
        return messages;
    }

    public static string? Header(BasicGetResult message, string name) => MessageHeaderValues.Read(message.BasicProperties.Headers, name);

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
