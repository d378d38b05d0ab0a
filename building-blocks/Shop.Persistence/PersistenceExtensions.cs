using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Shop.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// The service's PostgreSQL DbContext (pooled, with every <see cref="IInterceptor"/> registered in the container, such
    /// as the outbox's commit hook) from <c>ConnectionStrings:{connectionName}</c>, migrated on start unless
    /// <c>Database:MigrateOnStart</c> is false.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(this IHostApplicationBuilder builder, string connectionName)
        where TDbContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not set.");
        // Defaults below every other source, so settings still override them: EF Core logs each SQL command
        // at Information, which costs more than the command itself on the hot path.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Warning")],
        });
        builder.Services.AddDbContextPool<TDbContext>((services, options) => options
            .UseNpgsql(WithHotPathDefaults(connectionString), npgsql => npgsql
                .MigrationsHistoryTable("__ef_migrations_history")
                // Commands outside any trace (idle relay rounds, the backlog gauge, cleanup) would each be a trace of their own.
                .ConfigureDataSource(dataSource => dataSource.ConfigureTracing(tracing => tracing.ConfigureCommandFilter(_ => Activity.Current is not null))))
            .AddInterceptors(services.GetServices<IInterceptor>()));
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        builder.Services.AddHostedService<DatabaseMigrator<TDbContext>>();
        return builder;
    }

    /// <summary>
    /// Unless the connection string says otherwise: every order runs the same few statements, so they are prepared once
    /// per connection instead of parsed and planned on each call; a connection going back to the pool keeps its
    /// session as it is (the shop sets only transaction-local settings and locks), saving a reset round trip per use;
    /// and the pool stops at <see cref="DefaultMaxPoolSize"/> connections, so an overload queues requests for a
    /// connection instead of opening dozens more (each a new PostgreSQL process, TLS handshake and SCRAM exchange)
    /// just when the CPU is short.
    /// </summary>
    internal static string WithHotPathDefaults(string connectionString)
    {
        var connection = new NpgsqlConnectionStringBuilder
        {
            MaxAutoPrepare = 64,
            NoResetOnClose = true,
            MaxPoolSize = DefaultMaxPoolSize,
        };
        // Only the keys the string really names (under any of their synonyms) override the defaults above.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in given.Keys)
        {
            connection[key] = given[key];
        }
        return connection.ConnectionString;
    }

    /// <summary>Enough for the consumers, the outbox workers and concurrent requests; Npgsql's own default is 100.</summary>
    internal const int DefaultMaxPoolSize = 30;
}
