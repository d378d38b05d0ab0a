using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Shop.Persistence;

/// <summary>
/// A create request's client key is stored under a unique index on (user, key): a repeat of the request fails that index
/// at commit, never a check before it, and the handler then answers with the first request's result.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>True when <paramref name="exception"/> is the unique index <paramref name="index"/> refusing a key used before.</summary>
    public static bool IsRepeat(DbUpdateException exception, string index) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres && postgres.ConstraintName == index;
}
