using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Shop.Testing;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a RabbitMQ node that reads the broker's AMQP 0-9-1 frames and, while
/// <see cref="DropConfirms"/> is set, leaves out every publisher confirm (basic.ack) and passes everything else —
/// heartbeats included, so the connection stays alive: a broker that took a publish and never confirms it. With
/// <see cref="DropChannelCloseOk"/> it does not answer a channel's close either.
/// </summary>
public sealed class ConfirmDroppingRelay : IAsyncDisposable
{
    private const byte MethodFrame = 1;
    private const ushort BasicClass = 60, AckMethod = 80, ChannelClass = 20, CloseOkMethod = 41;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _accepting;
    private volatile bool _dropConfirms;
    private volatile bool _dropChannelCloseOk;
    private int _dropped;

    public ConfirmDroppingRelay(string host, int port)
    {
        _host = host;
        _port = port;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>While set, no publisher confirm reaches any client of the relay.</summary>
    public bool DropConfirms
    {
        get => _dropConfirms;
        set => _dropConfirms = value;
    }

    /// <summary>
    /// While set, no channel.close-ok reaches a client either: a broker whose channel process stopped answering, so a
    /// client's close of that channel waits for its RPC timeout.
    /// </summary>
    public bool DropChannelCloseOk
    {
        get => _dropChannelCloseOk;
        set => _dropChannelCloseOk = value;
    }

    /// <summary>Confirms left out so far.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            var server = new TcpClient();
            await server.ConnectAsync(_host, _port, _stop.Token);
            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(server);
            }
            _ = CopyAsync(client.GetStream(), server.GetStream());
            _ = CopyFramesAsync(server.GetStream(), client.GetStream());
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed, or the relay stopped.
        }
    }

    /// <summary>Relays whole frames (type, channel, size, payload, end byte), leaving out the confirms while asked to.</summary>
    private async Task CopyFramesAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[256 * 1024];
        var filled = 0;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer.AsMemory(filled), _stop.Token)) > 0)
            {
                filled += read;
                var offset = 0;
                while (filled - offset >= 7)
                {
                    var length = 7 + (int)BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(offset + 3)) + 1;
                    if (length > buffer.Length)
                    {
                        throw new InvalidDataException($"A frame of {length} bytes is larger than the relay's buffer");
                    }
                    if (filled - offset < length)
                    {
                        break;
                    }
                    var frame = buffer.AsSpan(offset, length);
                    if (IsMethod(frame, BasicClass, AckMethod) && _dropConfirms)
                    {
                        Interlocked.Increment(ref _dropped);
                    }
                    else if (IsMethod(frame, ChannelClass, CloseOkMethod) && _dropChannelCloseOk)
                    {
                    }
                    else
                    {
                        await to.WriteAsync(buffer.AsMemory(offset, length), _stop.Token);
                    }
                    offset += length;
                }
                buffer.AsSpan(offset, filled - offset).CopyTo(buffer);
                filled -= offset;
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed, or the relay stopped.
        }
    }

    private static bool IsMethod(ReadOnlySpan<byte> frame, ushort classId, ushort methodId) =>
        frame[0] == MethodFrame && frame.Length >= 11
        && BinaryPrimitives.ReadUInt16BigEndian(frame[7..]) == classId
        && BinaryPrimitives.ReadUInt16BigEndian(frame[9..]) == methodId;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }
        _stop.Dispose();
    }
}
