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
/// way back), and how many orders a second leave it. Sampled from the database every
/// <see cref="AdmissionOptions.SampleInterval"/> in one statement: the pending ones over a partial index that holds only
/// them, and the orders ever created from the table's identity sequence, so those finished are created − pending.
/// Orders pending for longer than <see cref="Window"/> are left out: those wait for something else than capacity (a
/// dead-lettered message, an outage), and must not keep every new order out.
/// </summary>
public sealed class PendingOrdersGauge(IServiceScopeFactory scopes, IOptions<AdmissionOptions> options, TimeProvider clock)
    : BackgroundService, IBacklogGauge
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    /// <summary>The span a throughput is measured over, and how long the highest one counts as what the shop can do.</summary>
    public static readonly TimeSpan ThroughputSpan = TimeSpan.FromSeconds(2), PeakHorizon = TimeSpan.FromSeconds(60);

    // The sequence counts every order inserted (a value taken by an insert that failed counts too: a slight overcount).
    private const string CountPending = """
        SELECT count(*), coalesce(pg_sequence_last_value(pg_get_serial_sequence('orders', 'sequence')::regclass), 0)
        FROM orders WHERE status = 'PENDING' AND created_at > $1
        """;

    private readonly ThroughputWindow _throughput = new(ThroughputSpan, PeakHorizon);

    private long _current = -1;
    private long _finished = -1;
    private long _samples;

    public string Describes => "orders awaiting payment";

    public long? Current => Interlocked.Read(ref _current) is >= 0 and var current ? current : null;

    /// <summary>Orders created and no longer pending (or pending beyond the window) at the last measurement.</summary>
    public long? Finished => Interlocked.Read(ref _finished) is >= 0 and var finished ? finished : null;

    /// <summary>
    /// Orders that left PENDING per second, the most over any <see cref="ThroughputSpan"/> of the last
    /// <see cref="PeakHorizon"/>: what the shop has shown it finishes, which a stall (an outage) does not erase at once.
    /// </summary>
    public double? Throughput => _throughput.Peak;

    /// <summary>How many times the gauge has measured, successfully or not: one more means a fresh reading.</summary>
    public long Samples => Interlocked.Read(ref _samples);

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
                    var now = clock.GetUtcNow();
                    count.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - Window });
                    await using var reader = await count.ExecuteReaderAsync(stoppingToken);
                    await reader.ReadAsync(stoppingToken);
                    var pending = reader.GetInt64(0);
                    var finished = Math.Max(0, reader.GetInt64(1) - pending);
                    _throughput.Record(now, finished);
                    Interlocked.Exchange(ref _finished, finished);
                    Interlocked.Exchange(ref _current, pending);
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
                _throughput.Clear();
            }
            Interlocked.Increment(ref _samples);
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
