using Shop.Hosting;
using Shop.Orders.Extensions;
using Shop.Runtime;

// Before anything opens a socket: the runtime reads the setting once.
SocketCompletions.RunInline();

await FunctionsApp.RunAsync(args, typeof(OrdersExtensions).Assembly, builder => builder.AddOrders());
