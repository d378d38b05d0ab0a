namespace Shop.Testing.Audit;

/// <summary>What the audit found after the run drained; <see cref="Clean"/> when no invariant is violated.</summary>
public sealed record AuditResult(
    bool Clean,
    IReadOnlyList<string> Violations,
    IReadOnlyList<string> Notes,
    IReadOnlyDictionary<string, long> OrdersByStatus,
    int UsersChecked,
    double DrainSeconds,
    long UnpublishedOrdersOutbox,
    long UnpublishedPaymentsOutbox,
    IReadOnlyDictionary<string, long> DeadLetters);
