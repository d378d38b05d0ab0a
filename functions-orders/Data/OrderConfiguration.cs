using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.Orders.Domain;

namespace Shop.Orders.Data;

public sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public const string IdempotencyIndex = "ux_orders_user_id_idempotency_key";
    public const string PendingIndex = "ix_orders_pending_created_at";

    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders", table =>
        {
            table.HasCheckConstraint("ck_orders_amount_positive", "amount > 0");
            table.HasCheckConstraint("ck_orders_status", "status IN ('PENDING', 'PAID', 'FAILED')");
        });
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Sequence).UseIdentityAlwaysColumn();
        builder.Property(o => o.Status).HasMaxLength(16);
        builder.Property(o => o.Reason).HasMaxLength(64);
        builder.Property(o => o.IdempotencyKey).HasMaxLength(128);
        builder.HasIndex(o => new { o.UserId, o.Sequence }).IsDescending(false, true).HasDatabaseName("ix_orders_user_id_sequence");
        // Admission control counts the pending orders often; this index holds only them.
        builder.HasIndex(o => o.CreatedAt).HasFilter("status = 'PENDING'").HasDatabaseName(PendingIndex);
        builder.HasIndex(o => new { o.UserId, o.IdempotencyKey }).IsUnique()
            .HasFilter("idempotency_key IS NOT NULL").HasDatabaseName(IdempotencyIndex);
    }
}
