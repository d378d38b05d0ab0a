using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Shop.Contracts;
using Shop.Messaging;
using Shop.Messaging.RabbitMq;

namespace Shop.Admin;

/// <summary>
/// Re-creates every durable queue of the topology whose type or arguments differ from the target. RabbitMQ cannot
/// change a queue's type in place, so a queue's messages move to a holding queue bound like it, the queue is deleted
/// and declared anew, and the messages move back. Each message is published with a confirm before its original is
/// acked, so none is lost (a crash in between leaves a copy in both, which the consumers' inbox absorbs). Running the
/// command again after an interruption resumes: a holding queue left behind is emptied back first.
/// </summary>
public sealed class QueueMigration : IAsyncDisposable
{
    public const string HoldingSuffix = ".migrating";
    private const int Rounds = 5;

    private readonly IConnection _connection;
    private readonly TextWriter _output;

    private QueueMigration(IConnection connection, TextWriter output)
    {
        _connection = connection;
        _output = output;
    }

    public static async Task<QueueMigration> ConnectAsync(string broker, TextWriter output) =>
        new(await new ConnectionFactory { Uri = new Uri(broker), ClientProvidedName = "shop-admin-migrate" }.CreateConnectionAsync(), output);

    /// <returns>0 when every durable queue has the target type, 1 when one could not be migrated (the output says why).</returns>
    public async Task<int> MigrateAsync(QueueType to)
    {
        await using (var channel = await _connection.CreateChannelAsync())
        {
            await RabbitMqTopology.DeclareExchangesAsync(channel, ShopTopology.Topology, CancellationToken.None);
        }
        var type = Name(to);
        var stopped = 0;
        foreach (var queue in ShopTopology.DurableQueues)
        {
            try
            {
                await MigrateAsync(queue, to);
            }
            catch (MigrationStoppedException exception)
            {
                stopped++;
                _output.WriteLine($"{queue.Name}: not migrated: {exception.Message}");
            }
        }
        _output.WriteLine(stopped == 0
            ? $"every durable queue is {type}"
            : $"{stopped} queue(s) not migrated; run the command again once the cause is gone");
        return stopped == 0 ? 0 : 1;
    }

    private async Task MigrateAsync(DurableQueue queue, QueueType to)
    {
        var holding = queue.Name + HoldingSuffix;
        var resuming = await DepthAsync(holding) is not null;
        if (await TryDeclareAsync(queue, to))
        {
            if (!resuming)
            {
                _output.WriteLine($"{queue.Name}: already {Name(to)}");
                return;
            }
        }
        else
        {
            var before = await DepthAsync(queue.Name);
            if (before is { Consumers: > 0 } busy)
            {
                throw new MigrationStoppedException(
                    $"{busy.Consumers} consumer(s) still read it as it is: stop the apps configured with the old RabbitMq:QueueType "
                    + "(or restart them with the new one) and run the command again.");
            }
            // From here on new messages for the queue wait in the holding queue, not in the queue being replaced.
            await WithChannelAsync(async channel =>
            {
                await channel.QueueDeclareAsync(holding, durable: true, exclusive: false, autoDelete: false,
                    new Dictionary<string, object?> { ["x-queue-type"] = "classic" });
                foreach (var key in queue.RoutingKeys)
                {
                    await channel.QueueBindAsync(holding, queue.Exchange, key);
                    await channel.QueueUnbindAsync(queue.Name, queue.Exchange, key);
                }
            });
            var aside = 0;
            for (var round = 1; ; round++)
            {
                aside += await MoveAsync(queue.Name, holding);
                var left = await DepthAsync(queue.Name);
                if (left is { Messages: 0, Consumers: 0 })
                {
                    break;
                }
                if (round == Rounds)
                {
                    throw new MigrationStoppedException(
                        $"it still holds {left?.Messages} message(s) and {left?.Consumers} consumer(s) after {Rounds} rounds; its bindings now feed {holding}.");
                }
            }
            await WithChannelAsync(channel => channel.QueueDeleteAsync(queue.Name));
            if (!await TryDeclareAsync(queue, to))
            {
                throw new MigrationStoppedException($"it was re-created with other arguments meanwhile; its messages wait in {holding}.");
            }
            _output.WriteLine($"{queue.Name}: re-created as {Name(to)} ({aside} message(s) held aside meanwhile)");
        }

        var back = await MoveAsync(holding, queue.Name);
        await WithChannelAsync(async channel =>
        {
            foreach (var key in queue.RoutingKeys)
            {
                await channel.QueueUnbindAsync(holding, queue.Exchange, key);
            }
        });
        back += await MoveAsync(holding, queue.Name);
        await WithChannelAsync(channel => channel.QueueDeleteAsync(holding, ifUnused: false, ifEmpty: true));
        _output.WriteLine($"{queue.Name}: {back} message(s) moved back from {holding}; {holding} deleted");
    }

    /// <summary>Declares and binds the queue with the target arguments; false when it exists with others.</summary>
    private async Task<bool> TryDeclareAsync(DurableQueue queue, QueueType to)
    {
        try
        {
            await WithChannelAsync(channel => RabbitMqTopology.DeclareQueueAsync(channel, ShopTopology.Topology, queue, to, CancellationToken.None));
            return true;
        }
        catch (QueueMismatchException)
        {
            return false;
        }
    }

    /// <returns>Ready messages and consumers, or null when the queue does not exist.</returns>
    private async Task<(uint Messages, uint Consumers)?> DepthAsync(string queue)
    {
        try
        {
            await using var channel = await _connection.CreateChannelAsync();
            var ok = await channel.QueueDeclarePassiveAsync(queue);
            return (ok.MessageCount, ok.ConsumerCount);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return null;
        }
    }

    /// <summary>Moves every message now in <paramref name="from"/> to <paramref name="to"/>, each acked only after its copy is confirmed.</summary>
    private async Task<int> MoveAsync(string from, string to)
    {
        await using var channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var moved = 0;
        while (await channel.BasicGetAsync(from, autoAck: false) is { } message)
        {
            await channel.BasicPublishAsync("", to, mandatory: true, new BasicProperties(message.BasicProperties), message.Body);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
            moved++;
        }
        return moved;
    }

    private async Task WithChannelAsync(Func<IChannel, Task> action)
    {
        await using var channel = await _connection.CreateChannelAsync();
        await action(channel);
    }

    private static string Name(QueueType type) => type.ToString().ToLowerInvariant();

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private sealed class MigrationStoppedException(string message) : Exception(message);
}
