using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Shop.Messaging;

namespace Shop.Orders.Operations;

/// <summary>200 when the database and the broker answer, else 503 naming what does not.</summary>
public sealed class HealthFunction(IServiceHealth health)
{
    [Function("Health")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await health.CheckAsync(cancellationToken)).ToResult();
}
