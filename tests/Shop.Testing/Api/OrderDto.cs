namespace Shop.Testing.Api;

public sealed record OrderDto(Guid Id, long UserId, long Amount, string Status, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? PaymentAt);
