using System.Collections;
using RabbitMQ.Client;

namespace Shop.Messaging.RabbitMq;

/// <summary>
/// Why a message is in a dead-letter queue and where it was first sent. A consumer that gives up on a message
/// publishes it there itself with <see cref="MessageHeaders.DeathReason"/> and the <c>x-original-*</c> headers; a quorum
/// queue that dead-letters a message on its own (past its delivery limit) leaves RabbitMQ's <c>x-death</c> record
/// instead, which is read when the consumer's headers are absent.
/// </summary>
public sealed record DeadLetterHeaders(string? Reason, string? OriginalExchange, string? OriginalRoutingKey, string? OriginalQueue, string? DeadLetteredAt)
{
    /// <summary>RabbitMQ's own record of each time a message was dead-lettered, newest first.</summary>
    public const string BrokerDeath = "x-death";

    /// <summary>Headers RabbitMQ adds when it dead-letters or redelivers; a replayed message goes out without them.</summary>
    public static readonly IReadOnlyList<string> BrokerHeaders =
    [
        BrokerDeath, "x-first-death-reason", "x-first-death-queue", "x-first-death-exchange",
        "x-last-death-reason", "x-last-death-queue", "x-last-death-exchange", "x-delivery-count",
    ];

    public static DeadLetterHeaders Read(IDictionary<string, object?>? headers)
    {
        var own = new DeadLetterHeaders(
            MessageHeaderValues.Read(headers, MessageHeaders.DeathReason),
            MessageHeaderValues.Read(headers, MessageHeaders.OriginalExchange),
            MessageHeaderValues.Read(headers, MessageHeaders.OriginalRoutingKey),
            MessageHeaderValues.Read(headers, MessageHeaders.OriginalQueue),
            MessageHeaderValues.Read(headers, MessageHeaders.DeadLetteredAt));
        if (own.Reason is not null || headers is null || !headers.TryGetValue(BrokerDeath, out var deaths)
            || deaths is not IEnumerable list || list.OfType<IDictionary<string, object?>>().FirstOrDefault() is not { } death)
        {
            return own;
        }
        var reason = MessageHeaderValues.Read(death, "reason");
        var routingKeys = death.TryGetValue("routing-keys", out var keys) && keys is IEnumerable keyList
            ? keyList.Cast<object?>().Select(key => key is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : key?.ToString()).ToList()
            : [];
        var at = death.TryGetValue("time", out var time) && time is AmqpTimestamp stamp
            ? DateTimeOffset.FromUnixTimeSeconds(stamp.UnixTime).ToString("O")
            : null;
        return new DeadLetterHeaders(
            reason == "delivery_limit"
                ? "dead-lettered by the broker: delivered more often than the queue's x-delivery-limit without an ack (delivery_limit)"
                : $"dead-lettered by the broker ({reason ?? "no reason given"})",
            MessageHeaderValues.Read(death, "exchange"),
            routingKeys.FirstOrDefault(),
            MessageHeaderValues.Read(death, "queue"),
            at);
    }
}
