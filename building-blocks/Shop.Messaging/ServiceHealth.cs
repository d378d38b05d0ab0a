using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.RabbitMq;

namespace Shop.Messaging;

internal sealed class ServiceHealth<TDbContext>(IServiceScopeFactory scopes, RabbitMqConnection broker) : IServiceHealth
    where TDbContext : DbContext
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var database = CheckAsync(async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TDbContext>().Database.ExecuteSqlRawAsync("SELECT 1", ct);
        }, cancellationToken);
        var rabbit = CheckAsync(async ct => await broker.GetPublishChannelAsync(ct), cancellationToken);
        var checks = new Dictionary<string, string> { ["database"] = await database, ["broker"] = await rabbit };
        return new HealthReport(checks.Values.All(v => v == "Healthy") ? "Healthy" : "Unhealthy", checks);
    }

    private static async Task<string> CheckAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await probe(timeout.Token);
            return "Healthy";
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The failure is the health report's content, returned to the caller.
            return timeout.IsCancellationRequested ? $"Unhealthy: no answer within {Timeout.TotalSeconds:0} s" : $"Unhealthy: {exception.Message}";
        }
    }
}
