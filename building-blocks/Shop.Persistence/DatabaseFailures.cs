using System.Net.Sockets;
using Npgsql;

namespace Shop.Persistence;

/// <summary>Tells a database failure that goes away by itself (the server down or restarting, a deadlock) from one that does not.</summary>
public static class DatabaseFailures
{
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (Classify(current) is { } transient)
            {
                return transient;
            }
        }
        return false;
    }

    /// <summary>The verdict on one exception of a chain, without its inner ones; null when it says nothing either way.</summary>
    public static bool? Classify(Exception current) => current switch
    {
        PostgresException postgres => postgres.IsTransient
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.SerializationFailure
                or PostgresErrorCodes.DeadlockDetected
                or PostgresErrorCodes.AdminShutdown
                or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.TooManyConnections,
        NpgsqlException { IsTransient: true } or TimeoutException or SocketException or IOException => true,
        _ => null,
    };
}
