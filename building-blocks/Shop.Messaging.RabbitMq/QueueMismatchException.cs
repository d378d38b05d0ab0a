namespace Shop.Messaging.RabbitMq;

/// <summary>
/// A durable queue exists on the broker with other arguments than this service declares, typically as the other
/// <see cref="QueueType"/>. RabbitMQ cannot change a queue's type in place; the message names the command that moves
/// the queue's messages over to a queue of the configured type.
/// </summary>
public sealed class QueueMismatchException(string queue, QueueType configured, string brokerReply, Exception? inner = null)
    : Exception(Describe(queue, configured, brokerReply), inner)
{
    public string Queue { get; } = queue;
    public QueueType Configured { get; } = configured;

    /// <summary>What the broker answered, e.g. <c>PRECONDITION_FAILED - inequivalent arg 'x-queue-type' …</c>.</summary>
    public string BrokerReply { get; } = brokerReply;

    /// <summary>The one command that migrates every queue of the topology that differs (the broker defaults to ConnectionStrings__RabbitMq).</summary>
    public static string MigrateCommand(QueueType to) =>
        $"dotnet run --project tools/Shop.Admin -- queues migrate --to {to.ToString().ToLowerInvariant()}";

    private static string Describe(string queue, QueueType configured, string brokerReply) =>
        $"Queue '{queue}' exists on the broker with other arguments than RabbitMq:QueueType={configured.ToString().ToLowerInvariant()} declares "
        + $"(broker: {brokerReply}). Consuming and publishing wait until it is migrated with: {MigrateCommand(configured)} "
        + "[--broker amqp://user:password@host:port/vhost]";
}
