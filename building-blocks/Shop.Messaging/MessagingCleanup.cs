using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Messaging.Inbox;
using Shop.Messaging.Outbox;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging;

internal sealed class MessagingCleanup<TDbContext>(
    IServiceScopeFactory scopes, IOptions<MessagingOptions> options, TimeProvider clock, ILogger<MessagingCleanup<TDbContext>> logger)
    : IMessagingCleanup
    where TDbContext : DbContext
{
    public async Task<(int Outbox, int Inbox)> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var now = clock.GetUtcNow();
        var outboxBefore = now - options.Value.OutboxRetention;
        var inboxBefore = now - options.Value.InboxRetention;

        var outbox = await db.Set<OutboxMessage>()
            .Where(m => m.PublishedAt != null && m.PublishedAt < outboxBefore)
            .ExecuteDeleteAsync(cancellationToken);
        var inbox = await db.Set<InboxMessage>()
            .Where(m => m.ProcessedAt < inboxBefore)
            .ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("Cleanup removed {OutboxRows} published outbox rows and {InboxRows} inbox records", outbox, inbox);
        return (outbox, inbox);
    }
}
