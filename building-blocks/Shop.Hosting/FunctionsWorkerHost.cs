using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace Shop.Hosting;

/// <summary>An app on the Azure Functions isolated worker, as <c>func start</c> and the Functions container run it.</summary>
public static class FunctionsWorkerHost
{
    /// <summary>Builds (does not run) the worker: ASP.NET Core integration, problem details, console logs, OpenTelemetry, then the app's services.</summary>
    public static IHost Build(string[] args, Action<IHostApplicationBuilder> configureServices)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseShopProblemDetails();
        builder.AddWorkerConsoleLogging();
        // The Functions host's invocation span becomes the parent of the worker's spans (host.json telemetryMode).
        builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        configureServices(builder);
        return builder.Build();
    }
}
