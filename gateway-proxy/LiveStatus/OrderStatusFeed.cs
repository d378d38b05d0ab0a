using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Shop.Contracts;
using Shop.Messaging;
using Shop.Messaging.RabbitMq;

namespace Shop.Gateway.LiveStatus;

/// <summary>
/// Consumes OrderStatusChanged through a queue of this gateway instance alone (exclusive, deleted with its
/// connection), so every instance sees every event, and pushes each one to its user's hub group only (and hands
/// it to every <see cref="IOrderStatusListener"/>).
/// The gateway starts without the broker: the transport's reconnect loop runs this feed's session again, with backoff,
/// for as long as the gateway runs.
/// </summary>
internal sealed class OrderStatusFeed(
    RabbitMqConnection connection,
    IHubContext<OrdersHub> hub,
    IEnumerable<IOrderStatusListener> listeners,
    IOptions<OrderStatusFeedOptions> options,
    ILogger<OrderStatusFeed> logger) : BackgroundService
{
    private static readonly EventRoute Route = ShopTopology.RouteOf(typeof(OrderStatusChanged));

    public string QueueName { get; } = $"gateway.order-status.{Guid.NewGuid():N}";

    /// <summary>True while the queue is bound and consumed: from then on no status change escapes this gateway.</summary>
    public bool IsConsuming { get; private set; }

    // 200 ms, 400 ms, 800 ms … up to the cap, with jitter so several gateways do not reconnect in step.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BrokerReconnect.RunAsync(ConsumeAsync, (exception, failures) => GatewayLog.FeedBrokerUnavailable(logger, exception, failures),
            failures => Backoff.Delay(failures + 1, options.Value.MaxReconnectDelay), stoppingToken);

    /// <summary>Binds and consumes the queue until its channel closes.</summary>
    private async Task ConsumeAsync(Action connected, CancellationToken stoppingToken)
    {
        try
        {
            // One of the cluster's nodes that is up, picked at random; after a node dies the next session tries them all.
            await using var amqp = await connection.ConnectAsync(QueueName, stoppingToken);
            await using var channel = await amqp.CreateChannelAsync(cancellationToken: stoppingToken);
            // Declared exactly as the Orders app declares it, so whichever starts first, both agree.
            await RabbitMqTopology.DeclareEventExchangeAsync(channel, connection.Topology, Route.Exchange, stoppingToken);
            await channel.QueueDeclareAsync(QueueName, durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
            await channel.QueueBindAsync(QueueName, Route.Exchange, Route.RoutingKey, cancellationToken: stoppingToken);
            await channel.BasicQosAsync(0, options.Value.Prefetch, global: false, stoppingToken);

            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(channel, delivery, stoppingToken);
            var ended = ConsumerSessionEnd.WatchAsync(channel, consumer);
            await channel.BasicConsumeAsync(QueueName, autoAck: false, consumer, stoppingToken);
            GatewayLog.FeedConsuming(logger, QueueName, Route.Exchange, Route.RoutingKey, amqp.Endpoint.ToString());
            connected();
            IsConsuming = true;

            var reason = await ended.WaitAsync(stoppingToken);
            IsConsuming = false;
            GatewayLog.FeedChannelClosed(logger, QueueName, reason);
        }
        finally
        {
            IsConsuming = false;
        }
    }

    private async Task OnDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        // The last hop of the order's trace: a child of the Orders publish span named in the message's header.
        var parent = MessagingTelemetry.ParseTraceParent(MessageHeaderValues.Read(delivery.BasicProperties.Headers, MessageHeaders.TraceParent));
        using var activity = GatewayTelemetry.Source.StartActivity(GatewayTelemetry.PushSpanName(OrdersHub.StatusChangedMethod), ActivityKind.Consumer, parent);
        activity?.SetTag(MessagingTelemetry.System, MessagingTelemetry.RabbitMq);
        activity?.SetTag(MessagingTelemetry.OperationType, "process");
        activity?.SetTag(MessagingTelemetry.DestinationName, delivery.Exchange);
        activity?.SetTag(MessagingTelemetry.MessageId, delivery.BasicProperties.MessageId);
        activity?.SetTag(MessagingTelemetry.ConversationId, delivery.BasicProperties.CorrelationId);
        if (TryRead(delivery, out var change, out var problem))
        {
            activity?.SetTag("shop.order.status", change.Status);
            activity?.SetTag("enduser.id", change.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var listener in listeners)
            {
                listener.OnStatusChanged(change);
            }
            try
            {
                await hub.Clients.Group(HubUser.Group(change.UserId)).SendAsync(
                    OrdersHub.StatusChangedMethod,
                    new OrderStatusNotification(change.OrderId, change.UserId, change.Status, change.Reason, change.ChangedAt),
                    stoppingToken);
                GatewayLog.StatusPushed(logger, change.OrderId, change.UserId, change.Status);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A missed push is not lost state: the order is in Orders, and the page re-reads it over REST on reconnect.
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                GatewayLog.StatusPushFailed(logger, exception, change.OrderId, change.UserId);
            }
        }
        else
        {
            activity?.SetStatus(ActivityStatusCode.Error, problem);
            GatewayLog.MalformedStatusEvent(logger, delivery.BasicProperties.MessageId, delivery.BasicProperties.CorrelationId, problem);
        }
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
    }

    private static bool TryRead(BasicDeliverEventArgs delivery, out OrderStatusChanged change, out string problem)
    {
        change = null!;
        var type = delivery.BasicProperties.Type;
        if (type is not null && type != Route.TypeName)
        {
            problem = $"type is '{type}', not '{Route.TypeName}'";
            return false;
        }
        try
        {
            var parsed = JsonSerializer.Deserialize(delivery.Body.Span, ContractsJson.Default.OrderStatusChanged);
            if (parsed is null || parsed.OrderId == Guid.Empty || parsed.UserId <= 0 || string.IsNullOrEmpty(parsed.Status))
            {
                problem = "the body lacks orderId, a positive userId or status";
                return false;
            }
            change = parsed;
            problem = string.Empty;
            return true;
        }
        catch (JsonException exception)
        {
            problem = $"the body is not an OrderStatusChanged: {exception.Message}";
            return false;
        }
    }
}
