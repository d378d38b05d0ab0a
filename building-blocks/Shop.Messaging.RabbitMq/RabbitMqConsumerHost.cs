using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Shop.Messaging.RabbitMq;

/// <summary>
/// Consumes this service's durable queues inside the worker's own host (the Functions RabbitMQ binding is not
/// available here): one channel per queue with bounded prefetch, whose deliveries gather in a buffer that
/// <see cref="MessagingOptions.ConsumerConcurrency"/> workers drain in batches of up to
/// <see cref="MessagingOptions.BatchSize"/> — whatever has arrived, never waiting for more — each handled by
/// the <see cref="IDeliveryBatchHandler"/> (the inbox) in one transaction and acked after its commit. A reconnect loop outlives broker restarts.
/// </summary>
internal sealed partial class RabbitMqConsumerHost(
    RabbitMqConnection connection,
    IDeliveryBatchHandler handler,
    ConsumerBacklog backlog,
    IOptions<MessagingOptions> options,
    ILogger<RabbitMqConsumerHost> logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelayCap = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(handler.Queues.Select(queue => ConsumeQueueAsync(queue, stoppingToken)));

    // 400 ms, 800 ms … up to 5 s: a broker that comes back is found within seconds.
    private Task ConsumeQueueAsync(string queue, CancellationToken stoppingToken) =>
        BrokerReconnect.RunAsync((connected, ct) => ConsumeOnOneChannelAsync(queue, connected, ct),
            (exception, failures) => LogBrokerUnavailable(exception, queue, failures),
            failures => Backoff.Delay(failures + 2, ReconnectDelayCap), stoppingToken);

    /// <summary>Consumes until the channel closes; deliveries not yet acked then come again on the next channel.</summary>
    private async Task ConsumeOnOneChannelAsync(string queue, Action connected, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await using var amqp = await connection.ConnectAsync($"consumer-{queue}", stoppingToken);
        await using var channel = await amqp.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false), stoppingToken);
        await connection.DeclareTopologyAsync(channel, stoppingToken);
        await channel.BasicQosAsync(0, settings.Prefetch, global: false, stoppingToken);

        // Delivery tags belong to this channel: its buffer and acks live and die with it.
        var deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleWriter = true });
        var acks = new DeliveryAcks((tag, multiple) => channel.BasicAckAsync(tag, multiple, CancellationToken.None));
        var consumer = new AsyncEventingBasicConsumer(channel);
        var ended = ConsumerSessionEnd.WatchAsync(channel, consumer);
        var queueTag = new KeyValuePair<string, object?>("queue", queue);
        consumer.ReceivedAsync += (_, args) =>
        {
            acks.Received(args.DeliveryTag);
            if (deliveries.Writer.TryWrite(Delivery.From(args)))
            {
                MessagingMetrics.Buffered.Add(1, queueTag);
                backlog.Add(1);
            }
            return Task.CompletedTask;
        };

        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var workers = Enumerable.Range(0, settings.ConsumerConcurrency)
            .Select(_ => DrainAsync(queue, deliveries.Reader, acks, session.Token))
            .ToArray();
        try
        {
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
            LogConsuming(queue, settings.Prefetch, settings.ConsumerConcurrency, settings.BatchSize);
            connected();
            var reason = await ended.WaitAsync(stoppingToken);
            LogChannelClosed(queue, reason);
        }
        finally
        {
            await session.CancelAsync();
            deliveries.Writer.TryComplete();
            await Task.WhenAll(workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            MessagingMetrics.Buffered.Add(-deliveries.Reader.Count, queueTag);
            backlog.Add(-deliveries.Reader.Count);
        }
    }

    /// <summary>Takes what has arrived, up to a batch, and hands it over; waits only when nothing is there.</summary>
    private async Task DrainAsync(string queue, ChannelReader<Delivery> reader, DeliveryAcks acks, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.BatchSize;
        var batch = new List<Delivery>(batchSize);
        var queueTag = new KeyValuePair<string, object?>("queue", queue);
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                batch.Clear();
                while (batch.Count < batchSize && reader.TryRead(out var delivery))
                {
                    batch.Add(delivery);
                }
                if (batch.Count > 0)
                {
                    MessagingMetrics.Buffered.Add(-batch.Count, queueTag);
                    backlog.Add(-batch.Count);
                    MessagingMetrics.BatchSize.Record(batch.Count, queueTag);
                    await handler.HandleAsync(queue, batch, acks, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not acked: the broker delivers them again on the next channel, and the inbox absorbs any that were applied.
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Consuming {Queue} (prefetch {Prefetch}, {Concurrency} batches at once of up to {BatchSize} messages)")]
    private partial void LogConsuming(string queue, ushort prefetch, ushort concurrency, int batchSize);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel on {Queue} closed: {Reason}; reconnecting")]
    private partial void LogChannelClosed(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker unavailable for {Queue} ({Failures} failures in a row); reconnecting")]
    private partial void LogBrokerUnavailable(Exception exception, string queue, int failures);
}
