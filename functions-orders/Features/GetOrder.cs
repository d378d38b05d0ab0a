using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.EntityFrameworkCore;
using Shop.Api;
using Shop.Orders.Data;

namespace Shop.Orders.Features;

public sealed class GetOrderFunction(OrdersDbContext db)
{
    /// <summary>One order of the calling user; another user's order is indistinguishable from a missing one (404).</summary>
    [Function("GetOrder")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryGetUserId(request, out var userId, out var problem))
        {
            return problem;
        }
        if (!Guid.TryParse(id, out var orderId))
        {
            return ApiProblems.NotFound($"Order '{Truncate(id)}' was not found: an order id is a UUID.");
        }
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId && o.UserId == userId, cancellationToken);
        return order is null
            ? ApiProblems.NotFound($"Order {orderId} was not found for user {userId}.")
            : TypedResults.Ok(OrderResponse.From(order));
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
