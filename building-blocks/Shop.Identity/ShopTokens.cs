namespace Shop.Identity;

/// <summary>What every HS256 token of the shop agrees on, for the gateway that checks them and the tools that mint them.</summary>
public static class ShopTokens
{
    public const string DefaultIssuer = "shop";
    public const string DefaultAudience = "shop";

    /// <summary>The claim that names the user: a positive integer, the same id the apps know as X-User-ID.</summary>
    public const string UserIdClaim = "sub";

    /// <summary>HS256 needs a key at least as long as its hash (RFC 7518 §3.2).</summary>
    public const int MinimumKeyBytes = 32;
}
