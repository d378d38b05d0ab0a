namespace Shop.Telemetry;

/// <summary>The <c>Telemetry</c> section: where traces, metrics and logs go besides OTLP.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The standard OpenTelemetry variable; OTLP export is on only when it is set.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Writes spans and metrics to the console as well, for a look without a collector.</summary>
    public bool Console { get; set; }
}
