using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.Payments.Domain;

namespace Shop.Payments.Data;

public sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public const string IdempotencyIndex = "ux_transactions_user_id_idempotency_key";

    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("transactions", table =>
        {
            table.HasCheckConstraint("ck_transactions_amount_positive", "amount > 0");
            table.HasCheckConstraint("ck_transactions_kind", "kind IN ('topup', 'charge')");
            table.HasCheckConstraint("ck_transactions_charge_has_order", "(kind = 'charge') = (order_id IS NOT NULL)");
        });
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Kind).HasMaxLength(16);
        builder.Property(e => e.IdempotencyKey).HasMaxLength(128);
        builder.HasIndex(e => e.OrderId).IsUnique().HasFilter("order_id IS NOT NULL").HasDatabaseName("ux_transactions_order_id");
        builder.HasIndex(e => new { e.UserId, e.IdempotencyKey }).IsUnique()
            .HasFilter("idempotency_key IS NOT NULL").HasDatabaseName(IdempotencyIndex);
        builder.HasIndex(e => new { e.UserId, e.CreatedAt });
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
