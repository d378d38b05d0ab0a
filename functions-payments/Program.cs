using Shop.Hosting;
using Shop.Payments.Extensions;

await FunctionsApp.RunAsync(args, typeof(PaymentsExtensions).Assembly, builder => builder.AddPayments());
