using System.Text;

namespace Shop.Messaging.RabbitMq;

/// <summary>Reads AMQP message headers, which RabbitMQ delivers as UTF-8 bytes even when they were published as strings.</summary>
public static class MessageHeaderValues
{
    /// <returns>The header as text; null when the headers are missing, the header is absent or its value is null.</returns>
    public static string? Read(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => null,
                _ => value.ToString(),
            }
            : null;
}
