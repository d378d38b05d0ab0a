namespace Shop.Payments.Domain;

public sealed class Account
{
    public long UserId { get; set; }

    /// <summary>Minor units; never negative (a check constraint stands behind the code).</summary>
    public long Balance { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
