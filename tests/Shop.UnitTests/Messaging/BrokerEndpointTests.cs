namespace Shop.UnitTests.Messaging;

public sealed class BrokerEndpointTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_setting_is_no_list(string? value)
    {
        Assert.Empty(BrokerEndpoint.TryParseList(value, 5672, out var error)!);
        Assert.Null(error);
    }

    [Fact]
    public void A_list_reads_hosts_ports_and_bracketed_IPv6_with_the_default_port_where_none_is_given()
    {
        var endpoints = BrokerEndpoint.TryParseList("rabbit-1:5672, rabbit-2 ,[fd00::3]:5673,[fd00::4]", 5671, out _);

        Assert.Equal(
            [new("rabbit-1", 5672), new("rabbit-2", 5671), new("fd00::3", 5673), new("fd00::4", 5671)],
            endpoints!);
        Assert.Equal("[fd00::3]:5673", endpoints![2].ToString());
        Assert.Equal("rabbit-1:5672", endpoints[0].ToString());
    }

    [Fact]
    public void The_highest_port_is_one()
    {
        Assert.Equal([new("rabbit-1", 65535)], BrokerEndpoint.TryParseList("rabbit-1:65535", 5672, out _)!);
    }

    [Theory]
    [InlineData("rabbit-1:0")]
    [InlineData("rabbit-1:65536")]
    [InlineData("rabbit-1:-5")]
    [InlineData("rabbit-1:56x")]
    [InlineData(":5672")]
    [InlineData("rabbit-1,,rabbit-2")]
    [InlineData("fd00::3:5672")]
    [InlineData("[fd00::3")]
    [InlineData("[fd00::3]5672")]
    [InlineData("rabbit 1:5672")]
    public void A_malformed_entry_is_named_in_the_error(string value)
    {
        Assert.Null(BrokerEndpoint.TryParseList(value, 5672, out var error));
        Assert.Contains(BrokerEndpoint.ConfigurationKey, error);
    }
}
