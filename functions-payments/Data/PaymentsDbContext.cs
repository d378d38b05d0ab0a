using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Persistence;
using Shop.Persistence;
using Shop.Payments.Domain;

namespace Shop.Payments.Data;

public sealed class PaymentsDbContext(DbContextOptions<PaymentsDbContext> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new AccountConfiguration());
        modelBuilder.ApplyConfiguration(new LedgerEntryConfiguration());
        modelBuilder.AddMessagingTables();
        modelBuilder.UseSnakeCaseColumns();
    }
}
