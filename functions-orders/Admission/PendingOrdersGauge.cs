using Microsoft.EntityFrameworkCore;
using Npgsql;
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

    private const string CountPending = "SELECT count(*) FROM orders WHERE status = 'PENDING' AND created_at > $1";

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
                // A plain prepared command: ten times a second, EF's query pipeline would cost more than the count.
                var connection = (NpgsqlConnection)scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Database.GetDbConnection();
                await connection.OpenAsync(stoppingToken);
                try
                {
                    await using var count = new NpgsqlCommand(CountPending, connection);
                    count.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() - Window });
                    Interlocked.Exchange(ref _current, (long)(await count.ExecuteScalarAsync(stoppingToken))!);
                }
                finally
                {
                    await connection.CloseAsync();
                }
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
