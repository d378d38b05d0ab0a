namespace Shop.Payments.Features;

/// <summary>An account on the wire: the contract's <c>{"balance"}</c> (README) and more.</summary>
public sealed record AccountResponse(long UserId, long Balance, DateTimeOffset UpdatedAt);
