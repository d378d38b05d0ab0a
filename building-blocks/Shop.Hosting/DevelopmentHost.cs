using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Hosting;

/// <summary>Runs an app's function classes on a plain ASP.NET Core host, for machines without Functions Core Tools (docs/architecture.md, D2).</summary>
public static class DevelopmentHost
{
    public const string Flag = "--dev-host";

    public static bool IsRequested(string[] args) => args.Contains(Flag, StringComparer.Ordinal);

    /// <summary>Every <c>[Function]</c> method of the assembly with its trigger, read from the attributes only.</summary>
    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly functionsAssembly) => FunctionDiscovery.Discover(functionsAssembly);

    /// <summary>Builds (does not run) a web app serving the HTTP functions on their routes and running the timer functions on their schedules.</summary>
    public static WebApplication Build(string[] args, Assembly functionsAssembly, Action<IHostApplicationBuilder> configureServices) =>
        Build(args, Discover(functionsAssembly), configureServices);

    internal static WebApplication Build(string[] args, IReadOnlyList<FunctionDescriptor> functions, Action<IHostApplicationBuilder> configureServices)
    {
        // Bind every function before building anything, so an unsupported signature stops startup naming the function.
        var endpoints = functions
            .Select(f => f.Trigger is HttpFunctionTrigger http ? HttpFunctionEndpoint.Create(f, http) : null)
            .OfType<HttpFunctionEndpoint>()
            .ToList();
        var timers = functions
            .Select(f => f.Trigger is TimerFunctionTrigger timer ? TimerFunction.Create(f, timer) : null)
            .OfType<TimerFunction>()
            .ToList();

        var builder = WebApplication.CreateBuilder(args.Where(arg => arg != Flag).ToArray());
        // Below every other source, as the Functions host's own defaults: per-request logs are opt-in.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")],
        });
        configureServices(builder);

        foreach (var type in functions.Where(f => !f.Method.IsStatic).Select(f => f.Type).Distinct())
        {
            // Scoped like the Functions host's per-invocation instances; an app's own registration wins.
            builder.Services.TryAddScoped(type);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        foreach (var timer in timers)
        {
            builder.Services.AddSingleton<IHostedService>(services => ActivatorUtilities.CreateInstance<TimerFunctionService>(services, timer));
        }

        builder.Services.AddOptions<FunctionKeyOptions>()
            .BindConfiguration(FunctionKeyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseMiddleware<ExceptionProblemMiddleware>();
        // A wrong method or an unknown path answers a problem too, not an empty 405/404.
        app.UseStatusCodePages();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DevelopmentHost).FullName!);
        var hostKey = app.Services.GetRequiredService<IOptions<FunctionKeyOptions>>().Value.HostKey;
        var keys = string.IsNullOrEmpty(hostKey) ? null : new FunctionKeyCheck(hostKey);
        foreach (var endpoint in endpoints)
        {
            endpoint.Map(app, keys);
            HostingLog.HttpFunctionMapped(logger, endpoint.Name, endpoint.MethodsText, endpoint.Route);
        }
        var keyed = endpoints.Where(e => e.NeedsKey).Select(e => e.Name).ToList();
        if (keys is null && keyed.Count > 0)
        {
            HostingLog.FunctionKeyNotSet(logger, string.Join(", ", keyed), $"{FunctionKeyOptions.SectionName}:{nameof(FunctionKeyOptions.HostKey)}");
        }

        return app;
    }
}
