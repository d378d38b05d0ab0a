using Microsoft.EntityFrameworkCore;

namespace Shop.Messaging.Inbox;

/// <summary>
/// The consumer's unit of work: the inbox record, the handler's effect and the events it emits commit in one
/// transaction. A message whose inbox record exists already changes nothing.
/// </summary>
internal sealed class InboxProcessor<TDbContext>(TDbContext db, IServiceProvider services, TimeProvider clock) : IInboxProcessor
    where TDbContext : DbContext
{
    public async Task<bool> ProcessAsync(ConsumerRegistration registration, object message, MessageContext context, CancellationToken cancellationToken)
    {
        context.BeginAttempt();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The primary key decides: a concurrent duplicate waits on the first one's row lock, then inserts nothing.
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, type, processed_at) VALUES ({context.MessageId}, {context.Queue}, {context.Type}, {clock.GetUtcNow()}) ON CONFLICT DO NOTHING",
            cancellationToken);
        if (inserted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await registration.DispatchAsync(services, message, context, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        context.Committed();
        return true;
    }
}
