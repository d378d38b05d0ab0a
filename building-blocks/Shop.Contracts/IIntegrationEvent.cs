namespace Shop.Contracts;

/// <summary>An event one service publishes for others; every event concerns one order.</summary>
public interface IIntegrationEvent
{
    Guid OrderId { get; }
}
