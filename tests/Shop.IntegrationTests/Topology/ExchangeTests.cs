namespace Shop.IntegrationTests.Topology;

/// <summary>
/// The exchanges a service declares, read back from the real broker in a virtual host of the test's own: each survives a
/// broker restart and stays when its last binding goes, and an event exchange hands what no queue takes to the
/// unrouted exchange.
/// </summary>
public sealed class ExchangeTests
{
    [Fact]
    public async Task Every_exchange_is_durable_stays_without_bindings_and_an_event_exchange_keeps_what_no_queue_takes()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        await broker.DeclareTopologyAsync();
        var topology = broker.Topology;

        Assert.Equal(("fanout", true, false, (string?)null), await broker.Management.ExchangeAsync(broker.VirtualHost, topology.UnroutedExchange));
        Assert.Equal(("direct", true, false, (string?)null), await broker.Management.ExchangeAsync(broker.VirtualHost, topology.DeadLetterExchange));
        Assert.Equal(("topic", true, false, topology.UnroutedExchange), await broker.Management.ExchangeAsync(broker.VirtualHost, ScratchBroker.Exchange));
    }
}
