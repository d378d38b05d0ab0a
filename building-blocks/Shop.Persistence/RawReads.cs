using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Shop.Persistence;

/// <summary>
/// For a consumer's hot reads, sent as plain Npgsql commands in the consumer's transaction rather than as EF queries
/// (an EF query costs more CPU than the round trip it makes), while the rows read are still tracked for SaveChanges.
/// </summary>
public static class RawReads
{
    /// <summary>The context's current transaction, which a read that locks rows must run in.</summary>
    public static NpgsqlTransaction RequireTransaction(this DatabaseFacade database, string why) =>
        database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
        ?? throw new InvalidOperationException($"No transaction is open: {why}");

    /// <summary>
    /// The entity with <paramref name="key"/> as an EF query would give it: the instance the context tracks already (with
    /// what an earlier call in the same unit of work changed), else the one <paramref name="read"/> builds from the row,
    /// attached unchanged so that SaveChanges writes only what is changed later.
    /// </summary>
    public static TEntity TrackedOrAttached<TEntity, TKey>(this DbSet<TEntity> set, TKey key, Func<TEntity> read)
        where TEntity : class
        where TKey : notnull
    {
        if (set.Local.FindEntry(key) is { } tracked)
        {
            return tracked.Entity;
        }
        var entity = read();
        set.Attach(entity);
        return entity;
    }
}
