using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Messaging.Outbox;

internal sealed class OutboxMarker<TDbContext>(IServiceScopeFactory scopes) : IOutboxMarker
    where TDbContext : DbContext
{
    private const string MarkPublished = $$"""
        SET LOCAL synchronous_commit = off;
        UPDATE {{MessagingTables.Outbox}} AS o SET published_at = m.confirmed_at
        FROM unnest({0}, {1}) AS m(id, confirmed_at)
        WHERE o.id = m.id AND o.published_at IS NULL
        """;

    public async Task MarkPublishedAsync(IReadOnlyList<(Guid Id, DateTimeOffset ConfirmedAt)> confirmed, CancellationToken cancellationToken)
    {
        var ids = new Guid[confirmed.Count];
        var times = new DateTimeOffset[confirmed.Count];
        for (var i = 0; i < confirmed.Count; i++)
        {
            (ids[i], times[i]) = confirmed[i];
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // As with the relay's marks: a mark lost to a crash only means the row is published again, which the inbox absorbs.
        await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(MarkPublished, ids, times), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
