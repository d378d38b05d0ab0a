namespace Shop.Orders.Domain;

public sealed class Order
{
    public Guid Id { get; set; }

    /// <summary>Creation order within the database; the cursor of the order list.</summary>
    public long Sequence { get; set; }

    public long UserId { get; set; }
    public long Amount { get; set; }
    public string Status { get; set; } = OrderStatus.Pending;
    public string? Reason { get; set; }
    public string? IdempotencyKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When Payments charged or refused the order, by Payments' clock; null while pending or if the result did not say.</summary>
    public DateTimeOffset? PaymentAt { get; set; }

    /// <summary>Applies the payment result if the order still waits for one; false if it was final already.</summary>
    public bool Complete(bool paid, string? reason, DateTimeOffset? paymentAt, DateTimeOffset at)
    {
        if (Status != OrderStatus.Pending)
        {
            return false;
        }
        Status = paid ? OrderStatus.Paid : OrderStatus.Failed;
        Reason = paid ? null : reason;
        PaymentAt = paymentAt;
        UpdatedAt = at;
        return true;
    }
}
