using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;

namespace Shop.Hosting;

public static class FunctionsWorkerApplicationBuilderExtensions
{
    /// <summary>Turns unhandled exceptions of HTTP functions into problem details; call after ConfigureFunctionsWebApplication.</summary>
    public static IFunctionsWorkerApplicationBuilder UseShopProblemDetails(this IFunctionsWorkerApplicationBuilder builder) =>
        builder.UseMiddleware<FunctionsProblemMiddleware>();
}
