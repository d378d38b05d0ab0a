namespace Shop.Testing.Audit;

/// <summary>An account with the sums of its ledger: top-ups − charges should be the balance.</summary>
public sealed record AccountLedger(long UserId, long TopUps, long Charges, long Balance);
