using RabbitMQ.Client;
using Shop.Contracts;

namespace Shop.Messaging.RabbitMq;

/// <summary>Declares <see cref="ShopTopology"/> on the broker; every declaration is idempotent.</summary>
internal static class RabbitMqTopology
{
    public static async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(ShopTopology.UnroutedExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        // Kept for inspection, bounded: live pushes published while no gateway listens end here too.
        var unroutedArguments = new Dictionary<string, object?> { ["x-message-ttl"] = 86_400_000, ["x-max-length"] = 100_000 };
        await channel.QueueDeclareAsync(ShopTopology.UnroutedQueue, durable: true, exclusive: false, autoDelete: false, unroutedArguments, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(ShopTopology.UnroutedQueue, ShopTopology.UnroutedExchange, routingKey: "", cancellationToken: cancellationToken);

        await channel.ExchangeDeclareAsync(ShopTopology.DeadLetterExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);

        var producerArguments = ShopTopology.ProducerExchangeArguments();
        foreach (var exchange in ShopTopology.Events.Select(e => e.Exchange).Distinct())
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, producerArguments, cancellationToken: cancellationToken);
        }

        foreach (var binding in ShopTopology.Queues)
        {
            var deadLetterQueue = binding.Queue + ShopTopology.DeadLetterSuffix;
            await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(deadLetterQueue, ShopTopology.DeadLetterExchange, binding.Queue, cancellationToken: cancellationToken);

            var queueArguments = new Dictionary<string, object?>
            {
                ["x-dead-letter-exchange"] = ShopTopology.DeadLetterExchange,
                ["x-dead-letter-routing-key"] = binding.Queue,
            };
            await channel.QueueDeclareAsync(binding.Queue, durable: true, exclusive: false, autoDelete: false, queueArguments, cancellationToken: cancellationToken);
            foreach (var routingKey in binding.RoutingKeys)
            {
                await channel.QueueBindAsync(binding.Queue, binding.Exchange, routingKey, cancellationToken: cancellationToken);
            }
        }
    }
}
