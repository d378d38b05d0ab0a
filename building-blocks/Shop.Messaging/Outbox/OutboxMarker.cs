using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Messaging.Outbox;

internal sealed class OutboxMarker<TDbContext>(IServiceScopeFactory scopes) : IOutboxMarker
    where TDbContext : DbContext
{
    // One statement in its own (implicit) transaction, one round trip. set_config(..., true) lasts to the end of that
    // transaction, so its commit does not wait for the disk: a mark lost to a crash only means the row is published again,
    // which the consumers' inbox absorbs (as with the relay's marks).
    private const string MarkPublished = $$"""
        UPDATE {{MessagingTables.Outbox}} AS o SET published_at = m.confirmed_at
        FROM unnest({0}, {1}) AS m(id, confirmed_at), (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
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
        await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(MarkPublished, ids, times), cancellationToken);
    }
}
