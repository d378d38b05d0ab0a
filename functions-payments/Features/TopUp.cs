using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shop.Api;
using Shop.Api.Admission;
using Shop.Payments.Data;
using Shop.Payments.Domain;
using Shop.Persistence;

namespace Shop.Payments.Features;

public sealed class TopUpFunction(TopUpHandler handler, AdmissionControl admission)
{
    [Function("TopUp")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "account/topup")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var write = await AmountWrite.BeginAsync(admission, request, cancellationToken);
        if (!write.Admitted)
        {
            return write.Refusal;
        }
        var input = write.Input;
        var result = await handler.HandleAsync(new TopUp(input.UserId, input.Amount, input.IdempotencyKey), cancellationToken);
        return result switch
        {
            { Account: not null } => TypedResults.Ok(result.Account),
            { Replayed: true } => ApiProblems.Conflict(result.Refusal!),
            _ => ApiProblems.Invalid("amount", result.Refusal!),
        };
    }
}

public sealed record TopUp(long UserId, long Amount, string? IdempotencyKey);

/// <param name="Account">The account after the top-up; null when refused (see <see cref="Refusal"/>).</param>
public sealed record TopUpResult(AccountResponse? Account, bool Replayed, string? Refusal = null)
{
    public static readonly TopUpResult LimitExceeded = new(null, false, "The top-up would take the balance beyond its limit.");
    public static readonly TopUpResult KeyReused = new(null, true, "The Idempotency-Key was used for a different top-up.");
}

public sealed partial class TopUpHandler(PaymentsDbContext db, TimeProvider clock, ILogger<TopUpHandler> logger)
{
    /// <summary>Largest balance an account may hold, far below <c>bigint</c>'s limit.</summary>
    public const long MaxBalance = 1_000_000_000_000_000;

    /// <summary>Credits the account (opening it if missing, as README's contract says) and records the top-up in the ledger, in one transaction.</summary>
    public async Task<TopUpResult> HandleAsync(TopUp command, CancellationToken cancellationToken)
    {
        var (userId, amount, idempotencyKey) = command;
        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var balances = await db.Database.SqlQuery<long>($"""
                INSERT INTO accounts (user_id, balance, created_at, updated_at) VALUES ({userId}, {amount}, {now}, {now})
                ON CONFLICT (user_id) DO UPDATE SET balance = accounts.balance + EXCLUDED.balance, updated_at = EXCLUDED.updated_at
                WHERE accounts.balance + EXCLUDED.balance <= {MaxBalance}
                RETURNING balance AS "Value"
                """).ToListAsync(cancellationToken);
            if (balances.Count == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return TopUpResult.LimitExceeded;
            }

            db.Ledger.Add(new LedgerEntry
            {
                Id = Guid.CreateVersion7(),
                UserId = userId,
                Kind = LedgerEntryKind.TopUp,
                Amount = amount,
                IdempotencyKey = idempotencyKey,
                BalanceAfter = balances[0],
                CreatedAt = now,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogToppedUp(userId, amount, balances[0]);
                return new TopUpResult(new AccountResponse(userId, balances[0], now), Replayed: false);
            }
            catch (DbUpdateException exception) when (IdempotencyKeys.IsRepeat(exception, LedgerEntryConfiguration.IdempotencyIndex))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }

        // The key was used before: answer with that top-up's result, without applying it again.
        var first = await db.Ledger.AsNoTracking()
            .SingleAsync(e => e.UserId == userId && e.IdempotencyKey == idempotencyKey && e.Kind == LedgerEntryKind.TopUp, cancellationToken);
        LogReplayed(userId, first.Id);
        return first.Amount == amount
            ? new TopUpResult(new AccountResponse(userId, first.BalanceAfter, first.CreatedAt), Replayed: true)
            : TopUpResult.KeyReused;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} topped up {Amount}; balance {Balance}")]
    private partial void LogToppedUp(long userId, long amount, long balance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Top-up {EntryId} of user {UserId} returned again for a repeated Idempotency-Key")]
    private partial void LogReplayed(long userId, Guid entryId);
}

