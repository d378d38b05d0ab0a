using Shop.Messaging;

namespace Shop.Contracts;

/// <summary>The shop's events as every service registers them with the messaging libraries.</summary>
public static class ShopEvents
{
    /// <summary>
    /// The shop's topology and JSON; every event concerns one order, so a log line about a message says
    /// "for order {OrderId}".
    /// </summary>
    public static readonly EventContract Contract = new(ShopTopology.Topology, ContractsJson.Default, "order", "OrderId");
}
