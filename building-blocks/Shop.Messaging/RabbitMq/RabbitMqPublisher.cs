using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Shop.Messaging.RabbitMq;

internal sealed class RabbitMqPublisher(RabbitMqConnection connection, IOptions<MessagingOptions> options) : IMessagePublisher
{
    public async Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var channel = await connection.GetPublishChannelAsync(cancellationToken);
        var headers = new Dictionary<string, object?>();
        if (message.TraceParent is not null)
        {
            headers[MessageHeaders.TraceParent] = message.TraceParent;
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
        // With confirm tracking on, this completes on the broker's ack and throws on a nack or a return.
        await channel.BasicPublishAsync(message.Exchange, message.RoutingKey, mandatory: true, properties, message.Body, cancellationToken);
    }
}
