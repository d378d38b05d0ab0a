namespace Shop.Testing.Api;

public sealed record AccountDto(long UserId, long Balance, DateTimeOffset UpdatedAt);
