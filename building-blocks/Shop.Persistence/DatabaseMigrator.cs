using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Persistence;

/// <summary>Migrates the service's database before the relay and consumers start (hosted services start in order).</summary>
internal sealed class DatabaseMigrator<TDbContext>(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator<TDbContext>> logger)
    : IHostedService
    where TDbContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
        {
            return;
        }
        var deadline = DateTimeOffset.UtcNow + options.Value.StartupTimeout;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("Database of {DbContext} is migrated", typeof(TDbContext).Name);
                return;
            }
            catch (Exception exception) when (DatabaseFailures.IsTransient(exception) && DateTimeOffset.UtcNow < deadline)
            {
                logger.LogWarning(exception, "Database of {DbContext} is not reachable yet (attempt {Attempt}); retrying", typeof(TDbContext).Name, attempt);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
