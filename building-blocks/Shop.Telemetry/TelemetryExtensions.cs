using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Shop.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Every ActivitySource and Meter of the shop's own code is named <c>Shop.*</c>.</summary>
    public const string ShopSources = "Shop.*";

    /// <summary>Npgsql's own ActivitySource and Meter.</summary>
    public const string NpgsqlSource = "Npgsql";

    private const string HealthPath = "/health";

    /// <summary>
    /// Traces (ASP.NET Core, HttpClient, Npgsql, the shop's own spans), metrics and logs under <paramref name="serviceName"/>.
    /// Exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, to the console when <c>Telemetry:Console</c> is true.
    /// With neither, no span is recorded and no metric aggregated (nothing would read them, and every request and message
    /// would pay for them); trace context still flows — request, outbox row, message header — so a log line's trace id
    /// stays the order's, and switching export on needs no other change.
    /// </summary>
    public static IHostApplicationBuilder AddShopTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[TelemetryOptions.OtlpEndpointKey]);
        if (!otlp && !options.Console)
        {
            builder.Services.AddHostedService<TraceContextPropagation>();
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(ShopSources, NpgsqlSource)
                    // Health probes every few seconds would bury the traces that matter.
                    .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = context => !IsHealthProbe(context.Request.Path))
                    .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request =>
                        request.RequestUri is null || !IsHealthProbe(new PathString(request.RequestUri.AbsolutePath)));
                if (options.Console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(ShopSources, NpgsqlSource)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (options.Console)
                {
                    metrics.AddConsoleExporter();
                }
            });

        if (otlp)
        {
            // Logs go over OTLP too, with their scopes (order id, message id), beside the console logger.
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeScopes = true;
                logging.IncludeFormattedMessage = true;
            });
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    private static bool IsHealthProbe(PathString path) => path.StartsWithSegments(HealthPath, StringComparison.OrdinalIgnoreCase);
}
