using Shop.Messaging.RabbitMq;
using System.Diagnostics.Metrics;
using Shop.Messaging;

namespace Shop.Orders.Features;

/// <summary>What customers feel: how long an order waits for its payment result.</summary>
public static class OrdersMetrics
{
    public const string MeterName = "Shop.Orders";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds from an order's creation to its final status, tagged <c>status</c> (PAID, FAILED).</summary>
    public static readonly Histogram<double> CompletionDuration = Meter.CreateHistogram(
        "shop.orders.completion.duration", "s", "Time from an order's creation to its final status", advice: MessagingMetrics.Seconds);
}
