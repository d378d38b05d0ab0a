using System.Net.Sockets;
using Npgsql;
using RabbitMQ.Client.Exceptions;

namespace Shop.Messaging;

/// <summary>Tells a failure that goes away by itself (database or broker down, a deadlock) from one that does not.</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.IsTransient
                        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState is PostgresErrorCodes.SerializationFailure
                            or PostgresErrorCodes.DeadlockDetected
                            or PostgresErrorCodes.AdminShutdown
                            or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow
                            or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException npgsql when npgsql.IsTransient:
                case TimeoutException:
                case SocketException:
                case IOException:
                case AlreadyClosedException:
                case OperationInterruptedException:
                    return true;
            }
        }
        return false;
    }
}
