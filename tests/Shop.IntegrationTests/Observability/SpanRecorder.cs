using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Shop.IntegrationTests.Observability;

/// <summary>
/// Every span the in-process system records, kept in memory: the apps run in this process, so one tracer provider
/// listening to their sources sees every host's spans.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly Exporter _exporter = new();
    private readonly TracerProvider _provider;

    public SpanRecorder()
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(MessagingTelemetry.SourceName, GatewayTelemetry.SourceName, "Npgsql")
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddProcessor(new SimpleActivityExportProcessor(_exporter))
            .Build();
    }

    /// <summary>The spans ended so far.</summary>
    public IReadOnlyList<Activity> Spans => _exporter.Snapshot();

    public IReadOnlyList<Activity> Trace(ActivityTraceId traceId) => Spans.Where(s => s.TraceId == traceId).ToList();

    public void Dispose() => _provider.Dispose();

    private sealed class Exporter : BaseExporter<Activity>
    {
        private readonly List<Activity> _spans = [];

        public IReadOnlyList<Activity> Snapshot()
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }

        public override ExportResult Export(in Batch<Activity> batch)
        {
            lock (_spans)
            {
                foreach (var span in batch)
                {
                    _spans.Add(span);
                }
            }
            return ExportResult.Success;
        }
    }
}
