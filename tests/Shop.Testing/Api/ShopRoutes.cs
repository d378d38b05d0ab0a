namespace Shop.Testing.Api;

/// <summary>The gateway's routes of the shop API, relative to the gateway's address.</summary>
public static class ShopRoutes
{
    public const string Account = "payments/account";
    public const string TopUp = "payments/account/topup";
    public const string Balance = "payments/account/balance";
    public const string Orders = "orders/orders";

    public static string Order(Guid orderId) => $"orders/orders/{orderId}";
}
