namespace Shop.Testing.Audit;

public sealed record OrderRow(Guid Id, long UserId, long Amount, string Status);
