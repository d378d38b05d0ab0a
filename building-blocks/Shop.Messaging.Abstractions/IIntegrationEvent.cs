namespace Shop.Messaging;

/// <summary>An event one service publishes for others.</summary>
public interface IIntegrationEvent
{
    /// <summary>
    /// The id every event of one flow shares (what it names is the app's to say: <see cref="EventContract.CorrelationName"/>): it
    /// travels as the message's AMQP <c>correlation_id</c> and names the trace's conversation. Not part of the JSON body.
    /// </summary>
    Guid CorrelationId { get; }
}
