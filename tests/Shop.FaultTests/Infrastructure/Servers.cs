namespace Shop.FaultTests.Infrastructure;

/// <summary>Stops and starts the real broker and database server, and waits until they accept connections again.</summary>
public static class Servers
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    public static Task StopBrokerAsync() => Shell.RunCheckedAsync(FaultEnvironment.RabbitMqStop, CommandTimeout);

    /// <summary>Starts RabbitMQ and returns once its AMQP and management ports answer.</summary>
    public static async Task StartBrokerAsync()
    {
        var (exitCode, output) = await Shell.RunAsync(FaultEnvironment.RabbitMqStart, CommandTimeout);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if ((await Shell.RunAsync(FaultEnvironment.RabbitMqCheck, CommandTimeout)).ExitCode == 0)
            {
                return;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"RabbitMQ did not accept connections within 90 s (start exited {exitCode}: {output})");
    }

    public static async Task EnsureBrokerUpAsync()
    {
        if ((await Shell.RunAsync(FaultEnvironment.RabbitMqCheck, CommandTimeout)).ExitCode != 0)
        {
            await StartBrokerAsync();
        }
    }

    public static Task StopPostgresAsync() => Shell.RunCheckedAsync(FaultEnvironment.PostgresStop, CommandTimeout);

    /// <summary>Starts PostgreSQL and returns once it answers a query.</summary>
    public static async Task StartPostgresAsync()
    {
        var (exitCode, output) = await Shell.RunAsync(FaultEnvironment.PostgresStart, CommandTimeout);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await PostgresAnswersAsync())
            {
                return;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"PostgreSQL did not answer within 60 s (start exited {exitCode}: {output})");
    }

    public static async Task EnsurePostgresUpAsync()
    {
        if (!await PostgresAnswersAsync())
        {
            await StartPostgresAsync();
        }
    }

    private static async Task<bool> PostgresAnswersAsync()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(FaultEnvironment.PostgresAdmin) { Pooling = false, Timeout = 3 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
            return true;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
