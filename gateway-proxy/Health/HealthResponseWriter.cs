using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Gateway.Health;

/// <summary>Writes health reports as small JSON documents: the overall status, and per service for readiness.</summary>
internal static class HealthResponseWriter
{
    public static Task WriteStatus(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new StatusBody(report.Status.ToString()), context.RequestAborted);

    public static Task WriteServices(HttpContext context, HealthReport report)
    {
        var services = report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new ServiceBody(entry.Value.Status.ToString(), entry.Value.Description));
        return context.Response.WriteAsJsonAsync(new ReadinessBody(report.Status.ToString(), services), context.RequestAborted);
    }

    private sealed record StatusBody(string Status);

    private sealed record ReadinessBody(string Status, IReadOnlyDictionary<string, ServiceBody> Services);

    private sealed record ServiceBody(
        string Status,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);
}
