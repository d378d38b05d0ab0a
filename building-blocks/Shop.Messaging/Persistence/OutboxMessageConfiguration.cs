using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.Messaging.Outbox;

namespace Shop.Messaging.Persistence;

public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable(MessagingTables.Outbox);
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Sequence).UseIdentityAlwaysColumn();
        builder.Property(m => m.Type).HasMaxLength(100);
        builder.Property(m => m.Exchange).HasMaxLength(100);
        builder.Property(m => m.RoutingKey).HasMaxLength(100);
        // json, not jsonb: the row keeps the exact bytes the event was serialised to.
        builder.Property(m => m.Payload).HasColumnType("json");
        builder.Property(m => m.TraceParent).HasMaxLength(128);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        // The relay's scan: only unpublished rows, in creation order.
        builder.HasIndex(m => m.Sequence).HasFilter("published_at IS NULL").HasDatabaseName("ix_outbox_messages_unpublished");
        builder.HasIndex(m => m.PublishedAt).HasFilter("published_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_published_at");
    }
}
