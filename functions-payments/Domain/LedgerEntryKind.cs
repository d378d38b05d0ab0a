namespace Shop.Payments.Domain;

public static class LedgerEntryKind
{
    public const string TopUp = "topup";
    public const string Charge = "charge";
}
