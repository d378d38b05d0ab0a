using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.EntityFrameworkCore;
using Shop.Api;
using Shop.Payments.Data;

namespace Shop.Payments.Features;

public sealed class GetBalanceFunction(PaymentsDbContext db)
{
    [Function("GetBalance")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "account/balance")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryGetUserId(request, out var userId, out var problem))
        {
            return problem;
        }
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        return account is null
            ? ApiProblems.NotFound($"User {userId} has no account; create it with POST /account or a top-up.")
            : TypedResults.Ok(new AccountResponse(account.UserId, account.Balance, account.UpdatedAt));
    }
}
