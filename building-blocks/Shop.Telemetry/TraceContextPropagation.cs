using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Shop.Telemetry;

/// <summary>
/// Where no trace is exported: spans of the shop, ASP.NET Core and HttpClient are created with their ids only (no tags,
/// not recorded), so a request's trace context still reaches the outbox row, the message header and the next hop.
/// Npgsql's per-command spans, the most numerous, are not created at all.
/// </summary>
internal sealed class TraceContextPropagation : IHostedService, IDisposable
{
    private static readonly HashSet<string> PropagatedSources = ["Microsoft.AspNetCore", "System.Net.Http"];

    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name.StartsWith("Shop.", StringComparison.Ordinal) || PropagatedSources.Contains(source.Name),
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
