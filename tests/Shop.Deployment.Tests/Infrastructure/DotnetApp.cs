using Shop.Gateway.Configuration;

namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>A .NET app of the repository and the compose service that runs it.</summary>
internal sealed record DotnetApp(string Service, string ProjectPath, Assembly Assembly, AppHost Host, IReadOnlyList<string> AppSettingsSections)
{
    public static DotnetApp Orders { get; } = new(
        "functions-orders", "functions-orders/Shop.Orders.csproj", typeof(OrdersExtensions).Assembly, AppHost.AzureFunctions, []);

    public static DotnetApp Payments { get; } = new(
        "functions-payments", "functions-payments/Shop.Payments.csproj", typeof(PaymentsExtensions).Assembly, AppHost.AzureFunctions, []);

    // YARP reads its own schema from ReverseProxy; an override must name a route or cluster key appsettings.json already has.
    public static DotnetApp Gateway { get; } = new(
        "gateway-proxy", "gateway-proxy/Shop.Gateway.csproj", typeof(GatewayOptions).Assembly, AppHost.AspNetCore, ["ReverseProxy"]);

    public static IReadOnlyList<DotnetApp> All { get; } = [Orders, Payments, Gateway];

    public static IReadOnlyList<DotnetApp> FunctionApps { get; } = [Orders, Payments];

    public static DotnetApp Named(string service) => All.Single(app => app.Service == service);

    public string ProjectDirectory => Path.GetDirectoryName(ProjectPath)!;

    public string AssemblyFileName => Assembly.GetName().Name + ".dll";

    public override string ToString() => Service;
}
