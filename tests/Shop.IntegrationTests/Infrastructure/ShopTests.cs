namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// Base of the test classes on the running shop: they share one <see cref="ShopSystem"/> (<see cref="ShopCollection"/>),
/// so they run one after another, each test with users of its own.
/// </summary>
[Collection(ShopCollection.Name)]
public abstract class ShopTests;
