using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Shop.Api;
using Shop.Api.Admission;

namespace Shop.Payments.Features;

public sealed class OpenAccountFunction(AccountService accounts)
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
        return TypedResults.Ok(await accounts.OpenAsync(userId, cancellationToken));
    }
}

public sealed class TopUpFunction(AccountService accounts, AdmissionControl admission)
{
    [Function("TopUp")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "account/topup")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var ticket = admission.TryEnter();
        if (ticket.Refusal is { } refusal)
        {
            return refusal;
        }
        var (input, problem) = await ApiRequest.ReadAmountRequestAsync(request, cancellationToken);
        if (input is null)
        {
            return problem!;
        }
        var result = await accounts.TopUpAsync(input.UserId, input.Amount, input.IdempotencyKey, cancellationToken);
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
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "account/balance")] HttpRequest request,
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
