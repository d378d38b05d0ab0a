namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Tests that share one running system; each uses users of its own.</summary>
[CollectionDefinition(Name)]
public sealed class ShopCollection : ICollectionFixture<ShopSystem>
{
    public const string Name = "shop";
}
