using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Messaging.Outbox;

internal sealed class OutboxMarker<TDbContext>(IServiceScopeFactory scopes) : IOutboxMarker
    where TDbContext : DbContext
{
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
        await db.Database.ExecuteSqlAsync($"""
            SET LOCAL synchronous_commit = off;
            UPDATE outbox_messages AS o SET published_at = m.confirmed_at
            FROM unnest({ids}, {times}) AS m(id, confirmed_at)
            WHERE o.id = m.id AND o.published_at IS NULL
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
