using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.Payments.Data;
using Shop.Payments.Domain;

namespace Shop.Payments.Features;

public sealed partial class AccountService(PaymentsDbContext db, TimeProvider clock, ILogger<AccountService> logger)
{
    /// <summary>Largest balance an account may hold, far below <c>bigint</c>'s limit.</summary>
    public const long MaxBalance = 1_000_000_000_000_000;

    public async Task<AccountResponse> OpenAsync(long userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO accounts (user_id, balance, created_at, updated_at) VALUES ({userId}, 0, {now}, {now}) ON CONFLICT (user_id) DO NOTHING",
            cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.UserId == userId, cancellationToken);
        return new AccountResponse(account.UserId, account.Balance, account.UpdatedAt);
    }

    public async Task<AccountResponse?> GetAsync(long userId, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        return account is null ? null : new AccountResponse(account.UserId, account.Balance, account.UpdatedAt);
    }

    /// <summary>Credits the account (opening it if missing, as README's contract says) and records the top-up in the ledger, in one transaction.</summary>
    public async Task<TopUpResult> TopUpAsync(long userId, long amount, string? idempotencyKey, CancellationToken cancellationToken)
    {
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
            catch (DbUpdateException exception) when (exception.InnerException is PostgresException
            {
                SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: LedgerEntryConfiguration.IdempotencyIndex,
            })
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

/// <param name="Account">The account after the top-up; null when refused (see <see cref="Refusal"/>).</param>
public sealed record TopUpResult(AccountResponse? Account, bool Replayed, string? Refusal = null)
{
    public static readonly TopUpResult LimitExceeded = new(null, false, "The top-up would take the balance beyond its limit.");
    public static readonly TopUpResult KeyReused = new(null, true, "The Idempotency-Key was used for a different top-up.");
}
