using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Shop.Messaging.RabbitMq;

/// <summary>Declares a <see cref="MessageTopology"/> on the broker; every declaration is idempotent.</summary>
public static class RabbitMqTopology
{
    /// <exception cref="QueueMismatchException">A durable queue exists with other arguments, e.g. as the other queue type.</exception>
    public static async Task DeclareAsync(IChannel channel, MessageTopology topology, QueueType queueType, CancellationToken cancellationToken)
    {
        await DeclareExchangesAsync(channel, topology, cancellationToken);
        foreach (var queue in topology.DurableQueues)
        {
            await DeclareQueueAsync(channel, topology, queue, queueType, cancellationToken);
        }
    }

    public static async Task DeclareExchangesAsync(IChannel channel, MessageTopology topology, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(topology.UnroutedExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(topology.DeadLetterExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        foreach (var exchange in topology.EventExchanges)
        {
            await DeclareEventExchangeAsync(channel, topology, exchange, cancellationToken);
        }
    }

    /// <summary>Declares one exchange events are published to, as every service declares it (a process that only consumes one, too).</summary>
    public static Task DeclareEventExchangeAsync(IChannel channel, MessageTopology topology, string exchange, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, topology.ProducerExchangeArguments(),
            cancellationToken: cancellationToken);

    /// <summary>Declares one durable queue with the arguments of <paramref name="queueType"/> and binds it.</summary>
    /// <exception cref="QueueMismatchException">The queue exists with other arguments; the broker has closed the channel.</exception>
    public static async Task DeclareQueueAsync(IChannel channel, MessageTopology topology, DurableQueue queue, QueueType queueType,
        CancellationToken cancellationToken)
    {
        try
        {
            await channel.QueueDeclareAsync(queue.Name, durable: true, exclusive: false, autoDelete: false,
                topology.QueueArguments(queue, queueType), cancellationToken: cancellationToken);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == Constants.PreconditionFailed)
        {
            throw new QueueMismatchException(queue.Name, queueType, exception.ShutdownReason.ReplyText, exception);
        }
        foreach (var routingKey in queue.RoutingKeys)
        {
            await channel.QueueBindAsync(queue.Name, queue.Exchange, routingKey, cancellationToken: cancellationToken);
        }
    }
}
