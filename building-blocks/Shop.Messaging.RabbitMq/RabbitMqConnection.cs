using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Shop.Messaging.RabbitMq;

/// <summary>
/// The service's broker connections: one long-lived publishing channel with confirms, re-created after a
/// failure, and fresh connections for consumers (each runs its own reconnect loop, <see cref="BrokerReconnect"/>). Every connection goes to one of
/// <see cref="RabbitMqOptions.Endpoints"/> that is up, so after a node dies the next attempt lands on another.
/// </summary>
public sealed partial class RabbitMqConnection(
    IOptions<RabbitMqOptions> rabbitOptions,
    IOptions<MessagingOptions> messagingOptions,
    MessageTopology topology,
    TimeProvider clock,
    ILogger<RabbitMqConnection> logger) : IAsyncDisposable
{
    /// <summary>After a failed connect, publishes fail fast for this long instead of each trying to connect again.</summary>
    private static readonly TimeSpan FailFastWindow = TimeSpan.FromSeconds(1);

    /// <summary>While a queue is known not to match the configured type, the topology is declared again this often.</summary>
    internal static readonly TimeSpan MismatchRecheckInterval = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _publishChannel;
    private (DateTimeOffset At, Exception Error)? _lastFailure;
    // Written by every consumer loop and the publisher: one reference, swapped whole.
    private Mismatch? _mismatch;

    /// <summary>
    /// A connection for a consumer. While a queue is known not to match <see cref="RabbitMqOptions.QueueType"/>, waits
    /// until the next check is due first, so consumers retry at that pace, not every few seconds.
    /// </summary>
    public async Task<IConnection> ConnectAsync(string purpose, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _mismatch) is { } mismatch && mismatch.At + MismatchRecheckInterval - clock.GetUtcNow() is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }
        return await OpenAsync(purpose, cancellationToken);
    }

    /// <summary>The topology this service declares, as its app composed it.</summary>
    public MessageTopology Topology => topology;

    /// <summary>
    /// Declares the whole topology with the configured queue type on <paramref name="channel"/>. A queue of another type
    /// is logged once as an error naming the queue and the command that migrates it, and reported by the health check
    /// until a later declaration succeeds; the service keeps running and serving requests meanwhile.
    /// </summary>
    /// <exception cref="QueueMismatchException">A durable queue exists with other arguments.</exception>
    public async Task DeclareTopologyAsync(IChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            await RabbitMqTopology.DeclareAsync(channel, topology, rabbitOptions.Value.QueueType, cancellationToken);
        }
        catch (QueueMismatchException mismatch)
        {
            var previous = Interlocked.Exchange(ref _mismatch, new Mismatch(clock.GetUtcNow(), mismatch));
            if (previous?.Error.Message != mismatch.Message)
            {
                LogQueueMismatch(mismatch.Queue, mismatch.Message);
            }
            throw;
        }
        if (Interlocked.Exchange(ref _mismatch, null) is { } resolved)
        {
            LogQueueMismatchResolved(resolved.Error.Queue, rabbitOptions.Value.QueueType.ToString().ToLowerInvariant());
        }
    }

    public async ValueTask<IChannel> GetPublishChannelAsync(CancellationToken cancellationToken)
    {
        var channel = Volatile.Read(ref _publishChannel);
        if (channel is { IsOpen: true })
        {
            return channel;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _publishChannel) is { IsOpen: true } open)
            {
                return open;
            }
            var now = clock.GetUtcNow();
            if (Volatile.Read(ref _mismatch) is { } mismatch && now - mismatch.At < MismatchRecheckInterval)
            {
                throw new QueueMismatchException(mismatch.Error.Queue, mismatch.Error.Configured, mismatch.Error.BrokerReply, mismatch.Error);
            }
            if (_lastFailure is { } last && now - last.At < FailFastWindow)
            {
                throw new IOException($"The broker was unreachable {(now - last.At).TotalMilliseconds:0} ms ago: {last.Error.Message}", last.Error);
            }
            await CloseAsync();
            try
            {
                _connection = await OpenAsync("publisher", cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                _lastFailure = (clock.GetUtcNow(), exception);
                throw;
            }
            _lastFailure = null;
            // Confirms are tracked per publish.
            var options = new CreateChannelOptions(
                publisherConfirmationsEnabled: true,
                publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(messagingOptions.Value.UnconfirmedPublishLimit));
            var created = await _connection.CreateChannelAsync(options, cancellationToken);
            await DeclareTopologyAsync(created, cancellationToken);
            Volatile.Write(ref _publishChannel, created);
            LogPublishChannelOpen(_connection.Endpoint.ToString());
            return created;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Takes <paramref name="channel"/> out of use so the next publish opens a new connection and channel: after the
    /// broker nacked a publish, or did not confirm one in time. A RabbitMQ 3.10 channel remembers, per quorum queue, the
    /// leader it first saw; one opened while the queue was electing a new leader keeps asking the dead one and has every
    /// publish to that queue nacked for as long as it lives. Every publish of a batch fails at once on such a channel,
    /// so only the first call retires it; the channel is closed in the background and no publish waits for that (the
    /// client serialises closes of one channel, each waiting up to its 20 s RPC timeout: a batch of 200 waiting on them
    /// would hold the relay for an hour).
    /// </summary>
    public void RetirePublishChannel(IChannel channel, string reason)
    {
        if (Interlocked.CompareExchange(ref _publishChannel, null, channel) == channel)
        {
            LogPublishChannelRetired(reason);
            _ = AbortQuietlyAsync(channel);
        }
    }

    private static async Task AbortQuietlyAsync(IChannel channel)
    {
        try
        {
            await channel.AbortAsync();
            await channel.DisposeAsync();
        }
        catch (Exception)
        {
            // A channel already given up: whatever its close throws changes nothing; the connection's close ends it anyway.
        }
    }

    private async Task<IConnection> OpenAsync(string purpose, CancellationToken cancellationToken)
    {
        var options = rabbitOptions.Value;
        var name = $"{messagingOptions.Value.ServiceName}-{purpose}";
        var factory = new ConnectionFactory
        {
            Uri = new Uri(options.ConnectionString),
            ClientProvidedName = name,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = options.ConnectTimeout,
            RequestedHeartbeat = TimeSpan.FromSeconds(15),
        };
        var connection = await factory.CreateConnectionAsync(options.AmqpEndpoints(), name, cancellationToken);
        LogConnected(name, connection.Endpoint.ToString());
        return connection;
    }

    private async Task CloseAsync()
    {
        // The connection first: closing it ends its channels, so disposing the channel after it never waits on the broker.
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
        if (_publishChannel is not null)
        {
            await _publishChannel.DisposeAsync();
            _publishChannel = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await CloseAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record Mismatch(DateTimeOffset At, QueueMismatchException Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected {Connection} to {Endpoint}")]
    private partial void LogConnected(string connection, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing channel open to {Endpoint}")]
    private partial void LogPublishChannelOpen(string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; the publishing channel is closed and the next publish opens a new connection and channel")]
    private partial void LogPublishChannelRetired(string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Queue {Queue} does not match the configured queue type: {Problem}")]
    private partial void LogQueueMismatch(string queue, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} now matches RabbitMq:QueueType={QueueType}; consuming and publishing resume")]
    private partial void LogQueueMismatchResolved(string queue, string queueType);
}
