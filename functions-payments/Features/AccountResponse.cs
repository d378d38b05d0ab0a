namespace Shop.Payments.Features;

/// <summary>An account on the wire: the seed's <c>{"balance"}</c> and more.</summary>
public sealed record AccountResponse(long UserId, long Balance, DateTimeOffset UpdatedAt);
