using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace Shop.Hosting;

/// <summary>A function app's entry point: the Functions worker, or with <c>--dev-host</c> the development host.</summary>
public static class FunctionsApp
{
    /// <param name="functionsAssembly">The app's assembly: the development host serves its <c>[Function]</c> methods.</param>
    /// <param name="configureServices">The app's own registrations, the same on both hosts.</param>
    public static Task RunAsync(string[] args, Assembly functionsAssembly, Action<IHostApplicationBuilder> configureServices) =>
        // Machines without Functions Core Tools: the same functions on a plain ASP.NET Core host.
        DevelopmentHost.IsRequested(args)
            ? DevelopmentHost.Build(args, functionsAssembly, configureServices).RunAsync()
            : FunctionsWorkerHost.Build(args, configureServices).RunAsync();
}
