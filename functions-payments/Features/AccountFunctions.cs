using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Shop.Api;

namespace Shop.Payments.Features;

public sealed class OpenAccountFunction(AccountService accounts)
{
    /// <summary>Opens the user's account with balance 0 if missing and returns it; repeating it changes nothing.</summary>
    [Function("OpenAccount")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "account")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryGetUserId(request, out var userId, out var problem))
        {
            return problem;
        }
        return TypedResults.Ok(await accounts.OpenAsync(userId, cancellationToken));
    }
}

public sealed class TopUpFunction(AccountService accounts)
{
    [Function("TopUp")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "account/topup")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryGetUserId(request, out var userId, out var problem)
            || !ApiRequest.TryGetIdempotencyKey(request, out var idempotencyKey, out problem))
        {
            return problem;
        }
        var (amount, bodyProblem) = await ApiRequest.ReadAmountAsync(request, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var result = await accounts.TopUpAsync(userId, amount, idempotencyKey, cancellationToken);
        return result switch
        {
            { Account: not null } => TypedResults.Ok(result.Account),
            { Replayed: true } => ApiProblems.Conflict(result.Refusal!),
            _ => ApiProblems.Invalid("amount", result.Refusal!),
        };
    }
}

public sealed class GetBalanceFunction(AccountService accounts)
{
    [Function("GetBalance")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/balance")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryGetUserId(request, out var userId, out var problem))
        {
            return problem;
        }
        var account = await accounts.GetAsync(userId, cancellationToken);
        return account is null
            ? ApiProblems.NotFound($"User {userId} has no account; create it with POST /account or a top-up.")
            : TypedResults.Ok(account);
    }
}
