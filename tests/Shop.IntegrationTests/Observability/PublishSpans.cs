namespace Shop.IntegrationTests.Observability;

/// <summary>The publish spans of the messaging source that end while it listens, recorded with all their data.</summary>
public sealed class PublishSpans : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public PublishSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The one span of the publish of message <paramref name="id"/> (others run in parallel).</summary>
    public Activity Single(Guid id) =>
        Assert.Single(_spans, span => span.Kind == ActivityKind.Producer && Equals(span.GetTagItem("messaging.message.id"), id.ToString()));

    public void Dispose() => _listener.Dispose();
}
