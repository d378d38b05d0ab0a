using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.EntityFrameworkCore;
using Shop.Api;
using Shop.Payments.Data;

namespace Shop.Payments.Features;

public sealed class OpenAccountFunction(OpenAccountHandler handler)
{
    /// <summary>Opens the user's account with balance 0 if missing and returns it; repeating it changes nothing.</summary>
    [Function("OpenAccount")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "account")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryGetUserId(request, out var userId, out var problem))
        {
            return problem;
        }
        return TypedResults.Ok(await handler.HandleAsync(new OpenAccount(userId), cancellationToken));
    }
}

public sealed record OpenAccount(long UserId);

public sealed class OpenAccountHandler(PaymentsDbContext db, TimeProvider clock)
{
    public async Task<AccountResponse> HandleAsync(OpenAccount command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO accounts (user_id, balance, created_at, updated_at) VALUES ({command.UserId}, 0, {now}, {now}) ON CONFLICT (user_id) DO NOTHING",
            cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.UserId == command.UserId, cancellationToken);
        return new AccountResponse(account.UserId, account.Balance, account.UpdatedAt);
    }
}
