namespace Shop.Testing;

/// <summary>
/// PostgreSQL databases and a RabbitMQ virtual host of one test run's own, created fresh and dropped after, so a run
/// never meets another run or a running system.
/// </summary>
public sealed class RunInfrastructure : IAsyncDisposable
{
    private readonly string _postgresAdmin;
    private readonly IReadOnlyList<string> _databases;

    /// <param name="postgresAdmin">A connection string of a role that may create and drop databases.</param>
    public RunInfrastructure(string postgresAdmin, RabbitMqManagement management, string virtualHost, params string[] databases)
    {
        _postgresAdmin = postgresAdmin;
        _databases = databases;
        Management = management;
        VirtualHost = virtualHost;
    }

    public RabbitMqManagement Management { get; }
    public string VirtualHost { get; }

    /// <summary>A connection string to one of the run's databases.</summary>
    public string ConnectionString(string database, int maxPoolSize) =>
        new NpgsqlConnectionStringBuilder(_postgresAdmin) { Database = database, MaxPoolSize = maxPoolSize }.ConnectionString;

    public async Task CreateAsync()
    {
        await ForEachDatabaseAsync(database => $"CREATE DATABASE \"{database}\"");
        await Management.CreateVirtualHostAsync(VirtualHost);
    }

    /// <summary>Drops the databases (closing whatever still uses them) and the virtual host.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ForEachDatabaseAsync(database => $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        await Management.DeleteVirtualHostAsync(VirtualHost);
        Management.Dispose();
    }

    /// <summary>Runs a statement per database on one admin connection (CREATE and DROP DATABASE take no parameters).</summary>
    private async Task ForEachDatabaseAsync(Func<string, string> statement)
    {
        await using var admin = new NpgsqlConnection(_postgresAdmin);
        await admin.OpenAsync();
        foreach (var database in _databases)
        {
            await using var command = new NpgsqlCommand(statement(database), admin);
            await command.ExecuteNonQueryAsync();
        }
    }
}
