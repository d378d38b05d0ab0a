using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Shop.Gateway.Auth;
using Shop.Gateway.Configuration;
using Shop.Gateway.Health;
using Shop.Gateway.Problems;
using Shop.Gateway.Proxy;
using Shop.Gateway.RateLimiting;
using Shop.Telemetry;

namespace Shop.Gateway.Extensions;

public static class GatewayExtensions
{
    private const string ReverseProxySection = "ReverseProxy";
    private const string ReadyTag = "ready";
    public const string ServiceName = "gateway";

    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.AddShopTelemetry(ServiceName);
        var services = builder.Services;

        services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.AllowedOrigins.All(IsOrigin), "Gateway:AllowedOrigins must hold absolute http(s) origins such as http://localhost:8080.")
            .ValidateOnStart();

        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<GatewayOptions>>((kestrel, gateway) => kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBodySize);

        services.AddOptions<CorsOptions>()
            .Configure<IOptions<GatewayOptions>>((cors, gateway) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins(gateway.Value.AllowedOrigins)
                .AllowAnyHeader()
                .AllowAnyMethod()
                .AllowCredentials()
                .WithExposedHeaders("Location", "X-Next-Cursor", "Retry-After")));
        services.AddCors();

        services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = context => GatewayProblem.Complete(context.ProblemDetails, context.HttpContext));

        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection(ReverseProxySection))
            .AddTransforms(LocationPrefixTransform.Apply);

        services.AddHttpClient(ClusterHealthCheck.HttpClientName);
        var healthChecks = services.AddHealthChecks();
        foreach (var cluster in builder.Configuration.GetSection($"{ReverseProxySection}:Clusters").GetChildren())
        {
            var clusterId = cluster.Key;
            healthChecks.Add(new HealthCheckRegistration(
                clusterId,
                provider => ActivatorUtilities.CreateInstance<ClusterHealthCheck>(provider, clusterId),
                HealthStatus.Unhealthy,
                [ReadyTag]));
        }

        builder.AddShopIdentity();
        builder.AddShopRateLimiting();
        builder.AddLiveStatus();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseCors();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseShopIdentity();
        app.UseShopRateLimiting();
        app.MapLiveStatus();
        app.MapShopAuth();

        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthResponseWriter.WriteStatus,
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteServices,
        });

        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ProxyErrorMiddleware>();
            proxy.UseProxyIdentity();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

        app.MapFallback("{**path}", (HttpContext context) => GatewayProblem.Create(
            context, StatusCodes.Status404NotFound, "Not Found",
            $"No route matches {context.Request.Method} {context.Request.Path}; the gateway serves /orders/*, /payments/*, /hubs/orders and /health."));

        return app;
    }

    // CORS compares origins as exact strings, so a path or trailing slash would never match a browser's Origin header.
    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.Equals(value, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}
