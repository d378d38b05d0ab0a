using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Shop.Contracts;

namespace Shop.Gateway.LiveStatus;

/// <summary>
/// Consumes OrderStatusChanged through a queue of this gateway instance alone (exclusive, deleted with its
/// connection), so every instance sees every event, and pushes each one to its user's hub group only (and hands
/// it to every <see cref="IOrderStatusListener"/>).
/// The gateway starts without the broker: this loop reconnects with backoff for as long as the gateway runs.
/// </summary>
internal sealed class OrderStatusFeed(
    IHubContext<OrdersHub> hub,
    IEnumerable<IOrderStatusListener> listeners,
    IOptions<OrderStatusFeedOptions> options,
    ILogger<OrderStatusFeed> logger) : BackgroundService
{
    private static readonly EventRoute Route = ShopTopology.RouteOf(typeof(OrderStatusChanged));
    private const string TraceParentHeader = "traceparent";

    public string QueueName { get; } = $"gateway.order-status.{Guid.NewGuid():N}";

    /// <summary>True while the queue is bound and consumed: from then on no status change escapes this gateway.</summary>
    public bool IsConsuming { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var factory = new ConnectionFactory
        {
            Uri = new Uri(settings.ConnectionString),
            ClientProvidedName = $"gateway-{QueueName}",
            AutomaticRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(15),
        };
        var endpoints = Endpoints(settings);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One of the cluster's nodes that is up, picked at random; after a node dies the next round tries them all.
                await using var connection = await factory.CreateConnectionAsync(endpoints, factory.ClientProvidedName, stoppingToken);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                channel.ChannelShutdownAsync += (_, args) =>
                {
                    closed.TrySetResult(args.ReplyText);
                    return Task.CompletedTask;
                };

                // Declared exactly as the Orders app declares it, so whichever starts first, both agree.
                await channel.ExchangeDeclareAsync(Route.Exchange, ExchangeType.Topic, durable: true, autoDelete: false,
                    ShopTopology.ProducerExchangeArguments(), cancellationToken: stoppingToken);
                await channel.QueueDeclareAsync(QueueName, durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
                await channel.QueueBindAsync(QueueName, Route.Exchange, Route.RoutingKey, cancellationToken: stoppingToken);
                await channel.BasicQosAsync(0, settings.Prefetch, global: false, stoppingToken);

                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(channel, delivery, stoppingToken);
                await channel.BasicConsumeAsync(QueueName, autoAck: false, consumer, stoppingToken);
                GatewayLog.FeedConsuming(logger, QueueName, Route.Exchange, Route.RoutingKey, connection.Endpoint.ToString());
                failures = 0;
                IsConsuming = true;

                var reason = await closed.Task.WaitAsync(stoppingToken);
                IsConsuming = false;
                GatewayLog.FeedChannelClosed(logger, QueueName, reason);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                IsConsuming = false;
                return;
            }
            catch (Exception exception)
            {
                IsConsuming = false;
                failures++;
                GatewayLog.FeedBrokerUnavailable(logger, exception, failures);
            }
            await Task.Delay(ReconnectDelay(Math.Max(failures, 1), settings.MaxReconnectDelay), stoppingToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task OnDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        // The last hop of the order's trace: a child of the Orders relay's publish span named in the message's header.
        var parent = ActivityContext.TryParse(ReadHeader(delivery, TraceParentHeader), null, isRemote: true, out var context) ? context : default;
        using var activity = GatewayTelemetry.Source.StartActivity(GatewayTelemetry.PushSpanName(OrdersHub.StatusChangedMethod), ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", delivery.Exchange);
        activity?.SetTag("messaging.message.id", delivery.BasicProperties.MessageId);
        activity?.SetTag("messaging.message.conversation_id", delivery.BasicProperties.CorrelationId);
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

    /// <summary>The nodes of <c>RabbitMq:Endpoints</c>, else the host of the connection string.</summary>
    private static List<AmqpTcpEndpoint> Endpoints(OrderStatusFeedOptions settings)
    {
        var uri = new Uri(settings.ConnectionString);
        var tls = uri.Scheme == "amqps";
        var port = uri.Port > 0 ? uri.Port : tls ? 5671 : 5672;
        var nodes = BrokerEndpoint.TryParseList(settings.Endpoints, port, out _) is { Count: > 0 } listed ? listed : [new BrokerEndpoint(uri.DnsSafeHost, port)];
        return nodes.Select(node => new AmqpTcpEndpoint(node.Host, node.Port, new SslOption(node.Host, enabled: tls))).ToList();
    }

    private static string? ReadHeader(BasicDeliverEventArgs delivery, string name) => MessageHeaderValues.Read(delivery.BasicProperties.Headers, name);

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

    // 200 ms, 400 ms, 800 ms … up to the cap, with jitter so several gateways do not reconnect in step.
    private static TimeSpan ReconnectDelay(int attempt, TimeSpan max)
    {
        var milliseconds = Math.Min(max.TotalMilliseconds, 100 * Math.Pow(2, Math.Clamp(attempt, 1, 16)));
        return TimeSpan.FromMilliseconds(milliseconds * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}
