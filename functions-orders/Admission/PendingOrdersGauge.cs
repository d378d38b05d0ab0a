using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Api.Admission;
using Shop.Orders.Data;

namespace Shop.Orders.Admission;

/// <summary>
/// Orders accepted and not yet final, over every instance: the whole pipeline's backlog (broker, Payments, the result's
/// way back). Sampled from the database every <see cref="AdmissionOptions.SampleInterval"/> over a partial index that holds
/// only pending orders. Orders pending for longer than <see cref="Window"/> are left out: those wait for something else
/// than capacity (a dead-lettered message, an outage), and must not keep every new order out.
/// </summary>
public sealed class PendingOrdersGauge(IServiceScopeFactory scopes, IOptions<AdmissionOptions> options, TimeProvider clock)
    : BackgroundService, IBacklogGauge
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private long _current = -1;

    public string Describes => "orders awaiting payment";

    public long? Current => Interlocked.Read(ref _current) is >= 0 and var current ? current : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.SampleInterval, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
                var since = clock.GetUtcNow() - Window;
                var pending = await db.Database
                    .SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM orders WHERE status = 'PENDING' AND created_at > {since}")
                    .SingleAsync(stoppingToken);
                Interlocked.Exchange(ref _current, pending);
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Unknown while the database is away; requests then fail on their own with 503.
                Interlocked.Exchange(ref _current, -1);
            }
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
