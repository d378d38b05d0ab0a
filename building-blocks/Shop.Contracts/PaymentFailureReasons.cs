namespace Shop.Contracts;

public static class PaymentFailureReasons
{
    public const string InsufficientFunds = "insufficient_funds";
    public const string AccountNotFound = "account_not_found";
}
