namespace Shop.Orders.Domain;

/// <summary>An order moves PENDING → PAID or PENDING → FAILED, once. Upper case on the wire, as the HTTP contract has it (README).</summary>
public static class OrderStatus
{
    public const string Pending = "PENDING";
    public const string Paid = "PAID";
    public const string Failed = "FAILED";
}
