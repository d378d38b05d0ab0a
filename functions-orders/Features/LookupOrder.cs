using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.EntityFrameworkCore;
using Shop.Api;
using Shop.Orders.Data;

namespace Shop.Orders.Features;

/// <summary>
/// One order by id alone, owner included, for the gateway's order WebSocket: it learns the current status and who may
/// watch. Not part of the public API: the gateway refuses /orders/internal/* from outside.
/// </summary>
public sealed class LookupOrderFunction(OrdersDbContext db)
{
    public const string Route = "internal/orders/{id:guid}";

    [Function("LookupOrder")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        return order is null
            ? ApiProblems.NotFound($"Order {id} was not found.")
            : TypedResults.Ok(OrderResponse.From(order));
    }
}
