using Shop.Hosting;
using Shop.Orders.Extensions;

await FunctionsApp.RunAsync(args, typeof(OrdersExtensions).Assembly, builder => builder.AddOrders());
