namespace Shop.Messaging;

/// <summary>An event one service publishes for others.</summary>
public interface IIntegrationEvent
{
    /// <summary>
    /// The id every event of one flow shares (for the shop's events, the order's; see <see cref="EventCorrelation"/>): it
    /// travels as the message's AMQP <c>correlation_id</c> and names the trace's conversation. Not part of the JSON body.
    /// </summary>
    Guid CorrelationId { get; }
}
