namespace Shop.Contracts;

/// <summary>
/// What <see cref="IIntegrationEvent.CorrelationId"/> is for the shop's events: every one of them concerns one order, so
/// logs about a message say "for order {OrderId}".
/// </summary>
public static class EventCorrelation
{
    /// <summary>The word a log line puts before the id.</summary>
    public const string Name = "order";

    /// <summary>The id's property in log templates and scopes.</summary>
    public const string LogProperty = "OrderId";
}
