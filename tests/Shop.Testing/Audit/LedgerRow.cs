namespace Shop.Testing.Audit;

public sealed record LedgerRow(long UserId, string Kind, long Amount, Guid? OrderId, string? IdempotencyKey);
