using RabbitMQ.Client.Exceptions;

namespace Shop.Testing.Audit;

/// <summary>Message counts of the business dead-letter queues, by a passive declare (no management plugin needed).</summary>
public static class DeadLetterDepths
{
    public static readonly string[] Queues =
    [
        ShopTopology.PaymentsOrderCreatedQueue + ShopTopology.DeadLetterSuffix,
        ShopTopology.OrdersPaymentResultsQueue + ShopTopology.DeadLetterSuffix,
    ];

    /// <summary>Messages in each queue; a queue that does not exist yet holds none.</summary>
    public static async Task<Dictionary<string, long>> CountAsync(string amqpUri, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri), ClientProvidedName = "shop-audit" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        var counts = new Dictionary<string, long>();
        foreach (var queue in Queues)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            try
            {
                counts[queue] = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
            }
            catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
            {
                counts[queue] = 0;
            }
        }
        return counts;
    }
}
