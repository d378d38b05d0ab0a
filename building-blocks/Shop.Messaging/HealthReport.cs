using Microsoft.AspNetCore.Http;

namespace Shop.Messaging;

/// <param name="Checks">Each dependency by name ("database", "broker") with "Healthy" or what failed.</param>
public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks)
{
    public bool IsHealthy => Status == "Healthy";

    /// <summary>The report as a health endpoint answers it: 200 when healthy, else 503 naming what does not answer.</summary>
    public IResult ToResult() => TypedResults.Json(this, statusCode: IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
}
