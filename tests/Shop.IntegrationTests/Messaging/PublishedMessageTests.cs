using RabbitMQ.Client.Exceptions;
using Shop.IntegrationTests.Observability;

namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// What the transport's publisher (<c>RabbitMqPublisher</c>) puts on the wire and on its span, read back from the real
/// broker in a virtual host of the test's own: a persistent message with its ids, type, time and service, its own
/// headers and the traceparent of its publish span; a message no queue takes is returned (mandatory), not confirmed
/// and lost, without taking the channel out of use; a message the broker nacks fails and takes the channel out of use.
/// </summary>
public sealed class PublishedMessageTests
{
    private const string Service = "scratch";
    private static readonly DateTimeOffset CreatedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task A_published_message_is_persistent_with_its_ids_type_time_service_and_headers_and_the_traceparent_of_its_publish_span()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        await broker.DeclareTopologyAsync();
        using var host = broker.BuildHost(Service);
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();
        using var spans = new PublishSpans();
        using var metrics = new MetricsRecorder();

        // The row was written in a trace of its own; the relay's batch span is current when it publishes.
        var stored = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var id = Guid.CreateVersion7();
        var correlation = Guid.NewGuid();
        var body = Encoding.UTF8.GetBytes("{\"n\":1}");
        var message = new OutgoingMessage(id, "Work", ScratchBroker.Exchange, ScratchBroker.RoutingKey, body, correlation,
            $"00-{stored.TraceId}-{stored.SpanId}-01", CreatedAt, new Dictionary<string, string> { ["x-scratch"] = "kept" });
        ActivityContext batch;
        using (var relay = new Activity("relay batch").Start())
        {
            batch = relay.Context;
            await publisher.PublishAsync(message, CancellationToken.None);
        }

        await using var channel = await broker.Connection.CreateChannelAsync();
        var received = await Eventually.UntilAsync(() => channel.BasicGetAsync(broker.Queue, autoAck: true), m => m is not null, "the message in its queue");
        var properties = received!.BasicProperties;
        Assert.Equal(DeliveryModes.Persistent, properties.DeliveryMode);
        Assert.Equal(id.ToString(), properties.MessageId);
        Assert.Equal("Work", properties.Type);
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal(correlation.ToString(), properties.CorrelationId);
        Assert.Equal(CreatedAt.ToUnixTimeSeconds(), properties.Timestamp.UnixTime);
        Assert.Equal(Service, properties.AppId);
        Assert.Equal(body, received.Body.ToArray());
        Assert.Equal("kept", RawBroker.Header(received, "x-scratch"));

        // The publish span continues the row's trace, links the batch, and its id is the message's traceparent.
        var span = spans.Single(id);
        Assert.Equal((ActivityKind.Producer, $"{ScratchBroker.Exchange} publish"), (span.Kind, span.DisplayName));
        Assert.Equal((stored.TraceId, stored.SpanId), (span.TraceId, span.ParentSpanId));
        Assert.Equal(batch, Assert.Single(span.Links).Context);
        Assert.Equal(span.Id, RawBroker.Header(received, MessageHeaders.TraceParent));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["messaging.system"] = "rabbitmq",
                ["messaging.operation.type"] = "send",
                ["messaging.operation.name"] = "publish",
                ["messaging.destination.name"] = ScratchBroker.Exchange,
                ["messaging.rabbitmq.destination.routing_key"] = ScratchBroker.RoutingKey,
                ["messaging.message.id"] = id.ToString(),
                ["messaging.message.conversation_id"] = correlation.ToString(),
                ["shop.messaging.type"] = "Work",
                ["messaging.message.body.size"] = body.Length,
                ["shop.service"] = Service,
            },
            span.TagObjects.ToDictionary(tag => tag.Key, tag => tag.Value));
        Assert.NotEmpty(metrics.Values("shop.messaging.publish.duration", $"exchange={ScratchBroker.Exchange}", "outcome=confirmed"));
    }

    [Fact]
    public async Task A_message_no_queue_takes_and_no_alternate_exchange_keeps_fails_as_returned_and_the_channel_stays_in_use()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        using var host = broker.BuildHost(Service);
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();
        var connection = host.Services.GetRequiredService<RabbitMqConnection>();
        using var spans = new PublishSpans();
        using var metrics = new MetricsRecorder();
        var channel = await connection.GetPublishChannelAsync(CancellationToken.None);

        // amq.direct has no alternate exchange, and nothing is bound to this key: only `mandatory` makes the broker say so.
        var id = Guid.CreateVersion7();
        var unroutable = new OutgoingMessage(id, "Work", "amq.direct", $"nobody-{id}", Encoding.UTF8.GetBytes("{}"), id, TraceParent: null, CreatedAt);
        var returned = await Assert.ThrowsAsync<PublishReturnException>(() => publisher.PublishAsync(unroutable, CancellationToken.None));
        Assert.True(returned.IsReturn);
        Assert.Equal(("amq.direct", $"nobody-{id}", "NO_ROUTE"), (returned.Exchange, returned.RoutingKey, returned.ReplyText));

        var span = spans.Single(id);
        Assert.Equal((ActivityStatusCode.Error, returned.Message), (span.Status, span.StatusDescription));
        Assert.Equal("exception", Assert.Single(span.Events).Name);
        Assert.Single(metrics.Values("shop.messaging.publish.duration", "exchange=amq.direct", "outcome=failed"));
        Assert.Empty(metrics.Values("shop.messaging.publish.duration", "exchange=amq.direct", "outcome=confirmed"));

        // A return says nothing against the channel: it stays in use, and the next publish is confirmed on it.
        var next = new OutgoingMessage(Guid.CreateVersion7(), "Work", ScratchBroker.Exchange, "nobody", Encoding.UTF8.GetBytes("{}"), id, TraceParent: null, CreatedAt);
        await publisher.PublishAsync(next, CancellationToken.None);
        Assert.True(channel.IsOpen);
        Assert.Same(channel, await connection.GetPublishChannelAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_message_the_broker_nacks_fails_naming_it_and_the_next_publish_goes_out_on_a_new_channel()
    {
        await using var broker = await ScratchBroker.CreateAsync();
        var logs = new LogRecorder();
        using var host = broker.BuildHost(Service, services => logs.AddTo(services, "Shop.Messaging.RabbitMq"));
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();
        var connection = host.Services.GetRequiredService<RabbitMqConnection>();
        using var spans = new PublishSpans();
        using var metrics = new MetricsRecorder();
        var channel = await connection.GetPublishChannelAsync(CancellationToken.None);

        // A queue that holds nothing and refuses what would overflow it: the broker nacks every message routed to it.
        var key = $"full-{Guid.NewGuid():N}";
        await using (var admin = await broker.Connection.CreateChannelAsync())
        {
            var full = await admin.QueueDeclareAsync(key, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "classic",
                ["x-max-length"] = 0,
                ["x-overflow"] = "reject-publish",
            });
            await admin.QueueBindAsync(full.QueueName, "amq.direct", key);
        }

        var id = Guid.CreateVersion7();
        var refused = new OutgoingMessage(id, "Work", "amq.direct", key, Encoding.UTF8.GetBytes("{}"), id, TraceParent: null, CreatedAt);
        var nacked = await Assert.ThrowsAsync<PublishException>(() => publisher.PublishAsync(refused, CancellationToken.None));
        Assert.False(nacked.IsReturn);
        var span = spans.Single(id);
        Assert.Equal((ActivityStatusCode.Error, nacked.Message), (span.Status, span.StatusDescription));
        Assert.Single(metrics.Values("shop.messaging.publish.duration", "exchange=amq.direct", "outcome=failed"));

        // A nack says the broker could not take the message on this channel: it is closed and the next publish opens another.
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message ==
            $"The broker nacked message {id}; the publishing channel is closed and the next publish opens a new connection and channel");
        await Eventually.UntilAsync(() => Task.FromResult(channel.IsOpen), open => !open, "the channel that had the nack closed");
        var next = new OutgoingMessage(Guid.CreateVersion7(), "Work", ScratchBroker.Exchange, "nobody", Encoding.UTF8.GetBytes("{}"), id, TraceParent: null, CreatedAt);
        await publisher.PublishAsync(next, CancellationToken.None);
        Assert.NotSame(channel, await connection.GetPublishChannelAsync(CancellationToken.None));
    }
}
