using RabbitMQ.Client.Exceptions;
using Shop.Persistence;

namespace Shop.Messaging;

/// <summary>Tells a failure that goes away by itself (database or broker down, a deadlock) from one that does not.</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (DatabaseFailures.Classify(current) is { } transient)
            {
                return transient;
            }
            if (current is AlreadyClosedException or OperationInterruptedException)
            {
                return true;
            }
        }
        return false;
    }
}
