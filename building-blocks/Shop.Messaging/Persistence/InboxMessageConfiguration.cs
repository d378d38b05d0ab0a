using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.Messaging.Inbox;

namespace Shop.Messaging.Persistence;

public sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> builder)
    {
        builder.ToTable(MessagingTables.Inbox);
        builder.HasKey(m => new { m.MessageId, m.Consumer });
        builder.Property(m => m.Consumer).HasMaxLength(100);
        builder.Property(m => m.Type).HasMaxLength(100);
        builder.HasIndex(m => m.ProcessedAt);
    }
}
