using System.Diagnostics.Metrics;

namespace Shop.Api.Admission;

public static class AdmissionMetrics
{
    public const string MeterName = "Shop.Api";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Write requests refused with 503 because the shop was at capacity.</summary>
    public static readonly Counter<long> Refused = Meter.CreateCounter<long>("shop.admission.refused", "{request}");
}
