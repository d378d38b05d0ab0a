using RabbitMQ.Client;

namespace Shop.UnitTests.Messaging;

public sealed class DeadLetterHeadersTests
{
    [Fact]
    public void A_consumer_dead_letter_reads_from_its_own_headers()
    {
        var headers = new Dictionary<string, object?>
        {
            [MessageHeaders.DeathReason] = Bytes("body is not a valid OrderCreated"),
            [MessageHeaders.OriginalExchange] = Bytes("shop.orders"),
            [MessageHeaders.OriginalRoutingKey] = Bytes("order.created"),
            [MessageHeaders.OriginalQueue] = Bytes("payments.order-created"),
            [MessageHeaders.DeadLetteredAt] = Bytes("2026-11-29T10:00:00.0000000+00:00"),
            [DeadLetterHeaders.BrokerDeath] = BrokerDeath("rejected"),
        };

        Assert.Equal(
            new DeadLetterHeaders("body is not a valid OrderCreated", "shop.orders", "order.created", "payments.order-created", "2026-11-29T10:00:00.0000000+00:00"),
            DeadLetterHeaders.Read(headers));
    }

    [Fact]
    public void A_message_the_quorum_queue_dead_lettered_past_its_delivery_limit_reads_from_x_death()
    {
        var headers = new Dictionary<string, object?> { [DeadLetterHeaders.BrokerDeath] = BrokerDeath("delivery_limit") };

        var death = DeadLetterHeaders.Read(headers);

        Assert.Contains("x-delivery-limit", death.Reason);
        Assert.Contains("delivery_limit", death.Reason);
        Assert.Equal(("shop.orders", "order.created", "payments.order-created"), (death.OriginalExchange, death.OriginalRoutingKey, death.OriginalQueue));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_795_950_056).ToString("O"), death.DeadLetteredAt);
    }

    [Fact]
    public void A_message_the_broker_dead_lettered_for_another_reason_reads_that_reason_and_leaves_what_its_record_lacks_unknown()
    {
        var rejected = new Dictionary<string, object?>
        {
            [DeadLetterHeaders.BrokerDeath] = new List<object?> { new Dictionary<string, object?> { ["reason"] = Bytes("rejected") } },
        };
        var bare = new Dictionary<string, object?>
        {
            [DeadLetterHeaders.BrokerDeath] = new List<object?> { new Dictionary<string, object?> { ["queue"] = Bytes("payments.order-created") } },
        };

        Assert.Equal(new DeadLetterHeaders("dead-lettered by the broker (rejected)", null, null, null, null), DeadLetterHeaders.Read(rejected));
        Assert.Equal(new DeadLetterHeaders("dead-lettered by the broker (no reason given)", null, null, "payments.order-created", null),
            DeadLetterHeaders.Read(bare));
    }

    [Fact]
    public void An_x_death_header_without_a_record_reads_as_unknown()
    {
        var headers = new Dictionary<string, object?> { [DeadLetterHeaders.BrokerDeath] = new List<object?> { Bytes("not a table") } };

        Assert.Equal(new DeadLetterHeaders(null, null, null, null, null), DeadLetterHeaders.Read(headers));
    }

    [Fact]
    public void A_message_with_neither_reads_as_unknown()
    {
        Assert.Equal(new DeadLetterHeaders(null, null, null, null, null), DeadLetterHeaders.Read(null));
        Assert.Null(DeadLetterHeaders.Read(new Dictionary<string, object?> { ["traceparent"] = Bytes("00-a-b-01") }).Reason);
    }

    /// <summary>x-death as RabbitMQ.Client delivers it: a list of tables, strings as bytes, newest first.</summary>
    private static List<object?> BrokerDeath(string reason) =>
    [
        new Dictionary<string, object?>
        {
            ["count"] = 1L,
            ["reason"] = Bytes(reason),
            ["queue"] = Bytes("payments.order-created"),
            ["time"] = new AmqpTimestamp(1_795_950_056),
            ["exchange"] = Bytes("shop.orders"),
            ["routing-keys"] = new List<object?> { Bytes("order.created") },
        },
        new Dictionary<string, object?> { ["reason"] = Bytes("expired"), ["queue"] = Bytes("older") },
    ];

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
