namespace Shop.Payments.Domain;

/// <summary>
/// One movement of money (the <c>transactions</c> table, named as in the original system; docs/architecture.md):
/// a top-up credits, a charge debits. For every account, the sum of top-ups minus the sum of charges is its balance.
/// </summary>
public sealed class LedgerEntry
{
    public Guid Id { get; set; }
    public long UserId { get; set; }
    public required string Kind { get; set; }

    /// <summary>Positive; <see cref="Kind"/> gives the direction.</summary>
    public long Amount { get; set; }

    /// <summary>The order a charge paid for; unique, so an order is charged at most once.</summary>
    public Guid? OrderId { get; set; }

    public string? IdempotencyKey { get; set; }
    public long BalanceAfter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
