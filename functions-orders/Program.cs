using Microsoft.Extensions.Hosting;
using Shop.Hosting;
using Shop.Orders.Extensions;

if (DevelopmentHost.IsRequested(args))
{
    // Machines without Functions Core Tools: the same functions on a plain ASP.NET Core host.
    await DevelopmentHost.Build(args, typeof(OrdersExtensions).Assembly, b => b.AddOrders()).RunAsync();
    return;
}

await FunctionsWorkerHost.Build(args, b => b.AddOrders()).RunAsync();
