using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Inbox;

namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>The queues each function app consumes, read from its own registration (<c>AddOrders</c>, <c>AddPayments</c>).</summary>
internal static class AppQueues
{
    private static readonly Dictionary<string, Func<IHostApplicationBuilder, IHostApplicationBuilder>> Registrations = new(StringComparer.Ordinal)
    {
        [DotnetApp.Orders.Service] = builder => builder.AddOrders(),
        [DotnetApp.Payments.Service] = builder => builder.AddPayments(),
    };

    public static IReadOnlyList<string> ConsumedBy(DotnetApp app)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // Registration only reads that the connection strings exist; nothing connects.
        builder.Configuration.AddInMemoryCollection(new AppConfiguration(app).ConnectionNames
            .Select(name => KeyValuePair.Create($"ConnectionStrings:{name}", (string?)"Host=registration-only")));
        Registrations[app.Service](builder);
        var registry = builder.Services.Single(d => d.ServiceType == typeof(ConsumerRegistry)).ImplementationInstance as ConsumerRegistry
            ?? throw new InvalidOperationException($"{app} registers no consumer registry.");
        return registry.Queues.Order(StringComparer.Ordinal).ToList();
    }
}
