namespace Shop.Api;

/// <summary>A POST that moves an amount for a user (an order, a top-up), read and validated from the request.</summary>
public sealed record AmountRequest(long UserId, string? IdempotencyKey, long Amount);
