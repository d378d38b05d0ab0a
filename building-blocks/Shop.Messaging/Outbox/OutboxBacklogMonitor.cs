using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging.Outbox;

/// <summary>
/// The outbox backlog and the age of its oldest unpublished row as gauges, sampled by one cheap query per interval
/// rather than on every collection. A backlog that grows, or an age that keeps rising, means the relay is stuck.
/// </summary>
internal sealed class OutboxBacklogMonitor<TDbContext> : BackgroundService
    where TDbContext : DbContext
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<MessagingOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<OutboxBacklogMonitor<TDbContext>> _logger;
    private readonly KeyValuePair<string, object?> _service;
    private volatile Snapshot? _last;

    public OutboxBacklogMonitor(IServiceScopeFactory scopes, IMeterFactory meters, IOptions<MessagingOptions> options, TimeProvider clock,
        ILogger<OutboxBacklogMonitor<TDbContext>> logger)
    {
        _scopes = scopes;
        _options = options;
        _clock = clock;
        _logger = logger;
        _service = new("service", options.Value.ServiceName);
        // A meter of this app's container: a second app in the same process (the tests) reports its own backlog.
        var meter = meters.Create(MessagingMetrics.MeterName);
        meter.CreateObservableGauge(MessagingMetrics.OutboxBacklogName, ObserveBacklog, "{message}", "Outbox rows not yet published");
        meter.CreateObservableGauge(MessagingMetrics.OutboxOldestAgeName, ObserveOldestAge, "s", "Age of the oldest unpublished outbox row (0 when none)");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.OutboxMetricsInterval, _clock);
        try
        {
            do
            {
                try
                {
                    await SampleAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Unknown is not zero: the gauges report nothing until the database answers again.
                    _last = null;
                    _logger.LogDebug(exception, "Could not sample the outbox backlog");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var unpublished = scope.ServiceProvider.GetRequiredService<TDbContext>().Set<OutboxMessage>().Where(m => m.PublishedAt == null);
        var count = await unpublished.CountAsync(cancellationToken);
        var oldest = count == 0 ? null : await unpublished.MinAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken);
        _last = new Snapshot(count, oldest);
    }

    private IEnumerable<Measurement<long>> ObserveBacklog() =>
        _last is { } last ? [new Measurement<long>(last.Count, _service)] : [];

    private IEnumerable<Measurement<double>> ObserveOldestAge() =>
        _last is { } last
            ? [new Measurement<double>(last.Oldest is { } oldest ? Math.Max(0, (_clock.GetUtcNow() - oldest).TotalSeconds) : 0, _service)]
            : [];

    private sealed record Snapshot(int Count, DateTimeOffset? Oldest);
}
