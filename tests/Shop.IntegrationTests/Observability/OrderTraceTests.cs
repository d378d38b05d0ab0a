namespace Shop.IntegrationTests.Observability;

/// <summary>One order is one trace: gateway → Orders → dispatch → Payments → dispatch → Orders → dispatch → gateway push.</summary>
public sealed class OrderTraceTests(ShopSystem system, ITestOutputHelper output) : ShopTests
{
    [Fact]
    public async Task One_order_is_one_trace_from_the_gateway_through_payments_and_back_to_the_push()
    {
        using var recorder = new SpanRecorder();
        var (_, order) = await system.PlacePaidOrderAsync(100, 30);

        // The outbox row keeps the trace the order began in; the push is its last span.
        var traceId = MessagingTelemetry.ParseTraceParent(await StoredTraceParentAsync(order.Id, nameof(OrderCreated))).TraceId;
        Assert.NotEqual(default, traceId);
        var pushName = GatewayTelemetry.PushSpanName("orderStatusChanged");
        await Eventually.UntilAsync(() => Task.FromResult(recorder.Trace(traceId)), spans => spans.Any(s => s.DisplayName == pushName),
            $"the push of order {order.Id} in trace {traceId}");
        var trace = new SpanTree(recorder.Trace(traceId));
        output.WriteLine($"Trace {traceId} of order {order.Id}:{Environment.NewLine}{trace.Render()}");

        // Gateway: the proxied request and YARP's call to Orders.
        var gatewayRequest = trace.Single(s => IsServer(s, system.Gateway) && Tag(s, "url.path") == "/orders/orders", "POST /orders/orders at the gateway");
        var proxyCall = trace.Single(s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client && trace.Descends(s, gatewayRequest),
            "the gateway's call to Orders");
        // Orders: the request, its database commands and the outbox row.
        var ordersRequest = trace.Single(s => IsServer(s, system.Orders), "POST /orders at Orders");
        Assert.True(trace.Descends(ordersRequest, proxyCall), "the Orders request continues the gateway's call");
        // The order's id is a tag of the Orders request (or a span under it): an order's trace can be found by it.
        Assert.Contains(trace.Spans, s => Tag(s, "shop.order.id") == order.Id.ToString() && (s == ordersRequest || trace.Descends(s, ordersRequest)));
        Assert.Contains(trace.Spans, s => s.Source.Name == "Npgsql" && trace.Descends(s, ordersRequest));
        var orderCreated = Hop(trace, ordersRequest, nameof(OrderCreated), ShopTopology.OrdersExchange, ShopTopology.PaymentsOrderCreatedQueue);
        // Payments charges and answers; Orders applies the result and announces the status.
        var paymentCompleted = Hop(trace, orderCreated.Consume, nameof(PaymentCompleted), ShopTopology.PaymentsExchange, ShopTopology.OrdersPaymentResultsQueue);
        var statusWrite = trace.Single(s => s.DisplayName == MessagingTelemetry.OutboxWriteSpanName(nameof(OrderStatusChanged)), "outbox write OrderStatusChanged");
        Assert.True(trace.Descends(statusWrite, paymentCompleted.Consume), "OrderStatusChanged is written while the payment result is applied");
        var statusPublish = trace.Single(s => s.ParentSpanId == statusWrite.SpanId && s.DisplayName == MessagingTelemetry.PublishSpanName(ShopTopology.OrdersExchange),
            "the publish of OrderStatusChanged");
        var push = trace.First(s => s.DisplayName == pushName && s.ParentSpanId == statusPublish.SpanId, "the gateway's push");
        Assert.Equal(ActivityKind.Consumer, push.Kind);
        Assert.Equal(order.Id.ToString(), Tag(push, "messaging.message.conversation_id"));

        // Causal order: each hop starts after the one that caused it.
        Activity[] chain =
        [
            gatewayRequest, proxyCall, ordersRequest, orderCreated.Write, orderCreated.Publish, orderCreated.Consume,
            paymentCompleted.Write, paymentCompleted.Publish, paymentCompleted.Consume, statusWrite, statusPublish, push,
        ];
        for (var i = 1; i < chain.Length; i++)
        {
            Assert.True(chain[i].StartTimeUtc >= chain[i - 1].StartTimeUtc,
                $"{chain[i].DisplayName} starts at {chain[i].StartTimeUtc:O}, before {chain[i - 1].DisplayName} at {chain[i - 1].StartTimeUtc:O}");
        }

        // The row left with the commit-time dispatch (not a relay round); its batch span is a trace of its own that links to
        // every row it carried, this order's among them.
        var batch = recorder.Spans.Where(s => s.DisplayName == MessagingTelemetry.DispatchSpanName)
            .SingleOrDefault(s => s.Links.Any(l => l.Context.TraceId == traceId && l.Context.SpanId == orderCreated.Write.SpanId));
        Assert.NotNull(batch);
        Assert.Contains(orderCreated.Publish.Links, l => l.Context.SpanId == batch.SpanId);
        Assert.True(Convert.ToInt64(batch.GetTagItem("messaging.batch.message_count"), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    /// <summary>An outbox write under <paramref name="cause"/>, the publish that continues it and the consumer's span under that.</summary>
    private static (Activity Write, Activity Publish, Activity Consume) Hop(SpanTree trace, Activity cause, string type, string exchange, string queue)
    {
        var write = trace.Single(s => s.DisplayName == MessagingTelemetry.OutboxWriteSpanName(type), $"outbox write {type}");
        Assert.True(trace.Descends(write, cause), $"{write.DisplayName} is under {cause.DisplayName}");
        var publish = trace.Single(s => s.ParentSpanId == write.SpanId && s.DisplayName == MessagingTelemetry.PublishSpanName(exchange), $"the publish of {type}");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal("rabbitmq", Tag(publish, "messaging.system"));
        var consume = trace.Single(s => s.ParentSpanId == publish.SpanId && s.DisplayName == MessagingTelemetry.ProcessSpanName(queue), $"{queue} processing {type}");
        Assert.Equal(ActivityKind.Consumer, consume.Kind);
        Assert.Equal(MessagingMetrics.OutcomeApplied, Tag(consume, MessagingTelemetry.Outcome));
        Assert.Equal(Tag(write, "messaging.message.id"), Tag(consume, "messaging.message.id"));
        return (write, publish, consume);
    }

    private static bool IsServer(Activity span, AppInstance app) =>
        span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server
        && Convert.ToInt32(span.GetTagItem("server.port"), System.Globalization.CultureInfo.InvariantCulture) == app.BaseAddress.Port;

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private async Task<string?> StoredTraceParentAsync(Guid orderId, string type)
    {
        await using var command = system.OrdersDb.CreateCommand("SELECT trace_parent FROM outbox_messages WHERE correlation_id = $1 AND type = $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = orderId });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = type });
        return await command.ExecuteScalarAsync() as string;
    }
}
