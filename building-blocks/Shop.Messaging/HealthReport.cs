namespace Shop.Messaging;

/// <param name="Checks">Each dependency by name ("database", "broker") with "Healthy" or what failed.</param>
public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks)
{
    public bool IsHealthy => Status == "Healthy";
}
