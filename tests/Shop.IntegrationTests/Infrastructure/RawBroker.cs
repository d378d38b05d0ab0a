using System.Text;
using RabbitMQ.Client;
using Shop.Contracts;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Publishes and reads raw messages in the test run's virtual host: duplicates, poison, forged results.</summary>
public sealed class RawBroker : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private RawBroker(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RawBroker> ConnectAsync(ShopSystem system)
    {
        var connection = await system.ConnectBrokerAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new RawBroker(connection, channel);
    }

    public IChannel Channel => _channel;

    public async Task PublishAsync(string exchange, string routingKey, string? type, string body, Guid? messageId = null, Guid? correlationId = null)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            Type = type,
            MessageId = (messageId ?? Guid.NewGuid()).ToString(),
            CorrelationId = correlationId?.ToString(),
            ContentType = "application/json",
        };
        await _channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
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
