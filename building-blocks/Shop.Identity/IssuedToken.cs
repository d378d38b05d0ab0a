namespace Shop.Identity;

/// <summary>A signed token and the moment it stops being accepted.</summary>
public sealed record IssuedToken(string Token, long UserId, DateTimeOffset ExpiresAt);
