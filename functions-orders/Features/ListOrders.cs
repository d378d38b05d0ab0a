using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.EntityFrameworkCore;
using Shop.Api;
using Shop.Orders.Data;

namespace Shop.Orders.Features;

public sealed class ListOrdersFunction(OrdersDbContext db)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const string NextCursorHeader = "X-Next-Cursor";

    /// <summary>The user's orders, newest first; <c>?limit=</c> (1–200, default 50) and <c>?before=</c> the previous page's X-Next-Cursor.</summary>
    [Function("ListOrders")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryGetUserId(request, out var userId, out var problem))
        {
            return problem;
        }
        var limit = DefaultLimit;
        if (request.Query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return ApiProblems.BadRequest($"The query parameter 'limit' must be an integer from 1 to {MaxLimit}.");
        }
        long? before = null;
        if (request.Query.TryGetValue("before", out var cursorText))
        {
            if (!long.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) || cursor <= 0)
            {
                return ApiProblems.BadRequest("The query parameter 'before' must be the X-Next-Cursor value of a previous page.");
            }
            before = cursor;
        }

        var query = db.Orders.AsNoTracking().Where(o => o.UserId == userId);
        if (before is not null)
        {
            query = query.Where(o => o.Sequence < before);
        }
        var page = await query.OrderByDescending(o => o.Sequence).Take(limit + 1).ToListAsync(cancellationToken);
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            request.HttpContext.Response.Headers[NextCursorHeader] = page[^1].Sequence.ToString(CultureInfo.InvariantCulture);
        }
        return TypedResults.Ok(page.Select(OrderResponse.From).ToList());
    }
}
