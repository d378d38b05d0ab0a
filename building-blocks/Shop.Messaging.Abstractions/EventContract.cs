using System.Text.Json.Serialization;

namespace Shop.Messaging;

/// <summary>
/// What the services of one system agree on about their events, handed to the messaging libraries by each app when it
/// registers them: the broker <see cref="Topology"/>, the JSON wire format of every event type it routes, and what an
/// event's <see cref="IIntegrationEvent.CorrelationId"/> is, so log lines name it as the events do.
/// </summary>
/// <param name="Json">Serialises and reads every event type of <paramref name="Topology"/>.</param>
/// <param name="CorrelationName">The word a log line puts before the correlation id, e.g. <c>order</c>.</param>
/// <param name="CorrelationLogProperty">The id's property in log templates and scopes, e.g. <c>OrderId</c>.</param>
public sealed record EventContract(MessageTopology Topology, JsonSerializerContext Json, string CorrelationName, string CorrelationLogProperty);
