using System.Text;
using RabbitMQ.Client;
using Shop.Contracts;

namespace Shop.FaultTests.Infrastructure;

/// <summary>Publishes and peeks at raw messages in the run's virtual host: duplicates, poison, dead letters.</summary>
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
        var connection = await new ConnectionFactory { Uri = new Uri(uri), ClientProvidedName = "fault-tests" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new RawBroker(connection, channel);
    }

    /// <summary>Publishes persistent and mandatory, and returns once the broker confirmed it.</summary>
    public async Task PublishAsync(string exchange, string routingKey, string? type, byte[] body, Guid messageId, Guid? correlationId = null)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            Type = type,
            MessageId = messageId.ToString(),
            CorrelationId = correlationId?.ToString(),
            ContentType = "application/json",
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
        };
        await _channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body);
    }

    public Task PublishAsync(string exchange, string routingKey, string? type, string body, Guid messageId, Guid? correlationId = null) =>
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
            messages.Add(new PeekedMessage(
                message.BasicProperties.MessageId, message.BasicProperties.Type, message.BasicProperties.CorrelationId,
                Header(message.BasicProperties.Headers, Shop.Messaging.MessageHeaders.DeathReason),
                Header(message.BasicProperties.Headers, Shop.Messaging.MessageHeaders.OriginalExchange),
                Header(message.BasicProperties.Headers, Shop.Messaging.MessageHeaders.OriginalRoutingKey),
                Encoding.UTF8.GetString(message.Body.Span)));
        }
        if (lastTag != 0)
        {
            await channel.BasicNackAsync(lastTag, multiple: true, requeue: true);
        }
        return messages;
    }

    private static string? Header(IDictionary<string, object?>? headers, string name) => MessageHeaderValues.Read(headers, name);

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

public sealed record PeekedMessage(string? MessageId, string? Type, string? CorrelationId, string? Reason,
    string? OriginalExchange, string? OriginalRoutingKey, string Body);
