using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Api.Admission;
using Shop.Contracts;
using Shop.Messaging;
using Shop.Persistence;
using Shop.Payments.Admission;
using Shop.Payments.Data;
using Shop.Payments.Features;
using Shop.Telemetry;

namespace Shop.Payments.Extensions;

public static class PaymentsExtensions
{
    public const string DatabaseConnectionName = "Payments";
    public const string BrokerConnectionName = "RabbitMq";
    public const string ServiceName = "payments";

    /// <summary>Everything the Payments app registers, for the Functions host and the development host alike.</summary>
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.AddShopTelemetry(ServiceName);
        builder.AddServiceDatabase<PaymentsDbContext>(DatabaseConnectionName);
        builder.AddMessaging<PaymentsDbContext>(BrokerConnectionName, ServiceName, ShopEvents.Contract)
            .AddBatchConsumer<OrderCreated, ChargeOrder>();
        builder.Services.AddScoped<OpenAccountHandler>();
        builder.Services.AddScoped<TopUpHandler>();
        builder.AddAdmissionControl<ChargesBacklogGauge>();
        return builder;
    }
}
