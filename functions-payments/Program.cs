using Shop.Hosting;
using Shop.Payments.Extensions;
using Shop.Runtime;

// Before anything opens a socket: the runtime reads the setting once.
SocketCompletions.RunInline();

await FunctionsApp.RunAsync(args, typeof(PaymentsExtensions).Assembly, builder => builder.AddPayments());
