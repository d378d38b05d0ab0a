using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using Shop.Hosting;
using Shop.Payments.Extensions;

if (DevelopmentHost.IsRequested(args))
{
    // Machines without Functions Core Tools: the same functions on a plain ASP.NET Core host.
    await DevelopmentHost.Build(args, typeof(PaymentsExtensions).Assembly, b => b.AddPayments()).RunAsync();
    return;
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseShopProblemDetails();
// The Functions host's invocation span becomes the parent of the worker's spans (host.json telemetryMode).
builder.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.AddPayments();
await builder.Build().RunAsync();
