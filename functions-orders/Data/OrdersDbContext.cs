using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Persistence;
using Shop.Persistence;
using Shop.Orders.Domain;

namespace Shop.Orders.Data;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new OrderConfiguration());
        modelBuilder.AddMessagingTables();
        modelBuilder.UseSnakeCaseColumns();
    }
}
