using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Shop.Messaging.RabbitMq;

/// <summary>
/// The service's broker connections: one long-lived publishing channel with confirms, re-created after a
/// failure, and fresh connections for consumers (which run their own reconnect loop).
/// </summary>
internal sealed class RabbitMqConnection(IOptions<RabbitMqOptions> rabbitOptions, IOptions<MessagingOptions> messagingOptions, ILogger<RabbitMqConnection> logger)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _publishChannel;
    private (DateTimeOffset At, Exception Error)? _lastFailure;

    /// <summary>After a failed connect, publishes fail fast for this long instead of each trying to connect again.</summary>
    private static readonly TimeSpan FailFastWindow = TimeSpan.FromSeconds(1);

    public Task<IConnection> ConnectAsync(string purpose, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(rabbitOptions.Value.ConnectionString),
            ClientProvidedName = $"{messagingOptions.Value.ServiceName}-{purpose}",
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = rabbitOptions.Value.ConnectTimeout,
            RequestedHeartbeat = TimeSpan.FromSeconds(15),
        };
        return factory.CreateConnectionAsync(cancellationToken);
    }

    public async ValueTask<IChannel> GetPublishChannelAsync(CancellationToken cancellationToken)
    {
        var channel = _publishChannel;
        if (channel is { IsOpen: true })
        {
            return channel;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_publishChannel is { IsOpen: true })
            {
                return _publishChannel;
            }
            if (_lastFailure is { } last && DateTimeOffset.UtcNow - last.At < FailFastWindow)
            {
                throw new IOException($"The broker was unreachable {(DateTimeOffset.UtcNow - last.At).TotalMilliseconds:0} ms ago: {last.Error.Message}", last.Error);
            }
            await CloseAsync();
            try
            {
                _connection = await ConnectAsync("publisher", cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                _lastFailure = (DateTimeOffset.UtcNow, exception);
                throw;
            }
            _lastFailure = null;
            // Confirms are tracked per publish; the limiter stays above any relay batch so it never throttles one.
            var options = new CreateChannelOptions(
                publisherConfirmationsEnabled: true,
                publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(Math.Max(1024, messagingOptions.Value.RelayBatchSize * 4)));
            var created = await _connection.CreateChannelAsync(options, cancellationToken);
            await RabbitMqTopology.DeclareAsync(created, cancellationToken);
            _publishChannel = created;
            logger.LogInformation("Publishing channel open to {Endpoint}", _connection.Endpoint);
            return created;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CloseAsync()
    {
        if (_publishChannel is not null)
        {
            await _publishChannel.DisposeAsync();
            _publishChannel = null;
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
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
}
