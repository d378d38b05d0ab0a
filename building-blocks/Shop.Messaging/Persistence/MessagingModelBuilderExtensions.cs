using Microsoft.EntityFrameworkCore;

namespace Shop.Messaging.Persistence;

public static class MessagingModelBuilderExtensions
{
    /// <summary>Maps the outbox and inbox tables into a service's own model (and so its migrations).</summary>
    public static ModelBuilder AddMessagingTables(this ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new InboxMessageConfiguration());
        return modelBuilder;
    }
}
