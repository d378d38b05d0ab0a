using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Shop.Hosting;

namespace Shop.Payments.Operations;

/// <summary>Every request no other function takes: problem+json 404, or 405 with Allow when only the method is wrong.</summary>
public sealed class RouteFallbackFunction
{
    private static readonly RouteFallback Fallback = new(typeof(RouteFallbackFunction).Assembly);

    [Function("RouteFallback")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = RouteFallback.Route)] HttpRequest request) =>
        Fallback.Answer(request);
}
