using Microsoft.Extensions.Hosting;
using Shop.Hosting;
using Shop.Payments.Extensions;

if (DevelopmentHost.IsRequested(args))
{
    // Machines without Functions Core Tools: the same functions on a plain ASP.NET Core host.
    await DevelopmentHost.Build(args, typeof(PaymentsExtensions).Assembly, b => b.AddPayments()).RunAsync();
    return;
}

await FunctionsWorkerHost.Build(args, b => b.AddPayments()).RunAsync();
