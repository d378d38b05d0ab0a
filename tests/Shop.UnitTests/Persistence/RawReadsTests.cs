using Microsoft.EntityFrameworkCore;
using Shop.Persistence;
using Xunit;

namespace Shop.UnitTests.Persistence;

/// <summary>
/// A row read with a plain command must end up tracked as an EF query would leave it. No database is contacted: the
/// context only tracks.
/// </summary>
public sealed class RawReadsTests
{
    private sealed class Account
    {
        public long UserId { get; set; }
        public long Balance { get; set; }
    }

    private sealed class Accounts(DbContextOptions<Accounts> options) : DbContext(options)
    {
        public DbSet<Account> Rows => Set<Account>();

        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.Entity<Account>().HasKey(a => a.UserId);
    }

    private static Accounts Context() =>
        new(new DbContextOptionsBuilder<Accounts>().UseNpgsql("Host=127.0.0.1;Database=never-opened").Options);

    [Fact]
    public void A_row_the_context_does_not_track_is_attached_unchanged_and_only_later_changes_are_saved()
    {
        using var db = Context();

        var account = db.Rows.TrackedOrAttached(7L, () => new Account { UserId = 7, Balance = 500 });
        account.Balance -= 200;

        var entry = db.Entry(account);
        Assert.Equal(EntityState.Modified, entry.State);
        Assert.Equal(500, entry.Property(a => a.Balance).OriginalValue);
        Assert.True(entry.Property(a => a.Balance).IsModified);
    }

    [Fact]
    public void A_row_the_context_tracks_already_is_the_tracked_instance_with_its_changes_and_is_not_read_again()
    {
        using var db = Context();
        var first = db.Rows.TrackedOrAttached(7L, () => new Account { UserId = 7, Balance = 500 });
        first.Balance -= 200;

        var again = db.Rows.TrackedOrAttached(7L, () => throw new InvalidOperationException("the row was built again"));

        Assert.Same(first, again);
        Assert.Equal(300, again.Balance);
        Assert.Single(db.ChangeTracker.Entries());
    }

    [Fact]
    public void A_locking_read_outside_a_transaction_is_refused_with_the_reason()
    {
        using var db = Context();

        var refused = Assert.Throws<InvalidOperationException>(() => db.Database.RequireTransaction("the account locks need one"));

        Assert.Contains("the account locks need one", refused.Message);
    }
}
