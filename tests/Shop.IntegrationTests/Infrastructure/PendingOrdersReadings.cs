namespace Shop.IntegrationTests.Infrastructure;

public static class PendingOrdersReadings
{
    /// <summary>Waits for a measurement that began after this call, and returns it.</summary>
    public static async Task<long> FreshReadingAsync(this PendingOrdersGauge gauge)
    {
        var after = gauge.Samples + 1;
        await Eventually.UntilAsync(() => Task.FromResult(gauge.Samples), n => n > after && gauge.Current is not null, "a fresh pending-orders reading");
        return gauge.Current!.Value;
    }
}
