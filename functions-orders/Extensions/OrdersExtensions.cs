using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Api.Admission;
using Shop.Contracts;
using Shop.Messaging;
using Shop.Persistence;
using Shop.Orders.Admission;
using Shop.Orders.Data;
using Shop.Orders.Features;
using Shop.Telemetry;

namespace Shop.Orders.Extensions;

public static class OrdersExtensions
{
    public const string DatabaseConnectionName = "Orders";
    public const string BrokerConnectionName = "RabbitMq";
    public const string ServiceName = "orders";

    /// <summary>Everything the Orders app registers, for the Functions host and the development host alike.</summary>
    public static IHostApplicationBuilder AddOrders(this IHostApplicationBuilder builder)
    {
        builder.AddShopTelemetry(ServiceName);
        builder.AddServiceDatabase<OrdersDbContext>(DatabaseConnectionName);
        builder.AddMessaging<OrdersDbContext>(BrokerConnectionName, ServiceName, ShopEvents.Contract)
            .AddBatchConsumer<PaymentCompleted, ApplyPaymentResult>()
            .AddBatchConsumer<PaymentFailed, ApplyPaymentResult>();
        builder.Services.AddScoped<CreateOrderHandler>();
        builder.AddAdmissionControl<PendingOrdersGauge>();
        return builder;
    }
}
