using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hive.Mobile.Tests.Network;

/// <summary>
/// A loopback TCP proxy between the SDK and the gateway that makes the network as bad as a phone's:
/// latency each way, a bandwidth cap on answers, refused connections (offline), connections cut in the
/// middle of an answer, and answers held back (a request that reached the server, its answer not yet back).
/// It counts the HTTP requests that pass, from the request lines in the client's bytes.
/// </summary>
public sealed class BadNetworkProxy : IAsyncDisposable
{
    private static readonly byte[] RequestLineEnd = Encoding.ASCII.GetBytes(" HTTP/1.1\r\n");

    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private int _requests;
    private int _cutNext;
    private long _bytesDown;

    public BadNetworkProxy(Uri upstream)
    {
        _upstream = new IPEndPoint(IPAddress.Loopback, upstream.Port);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>Added each way to every chunk.</summary>
    public TimeSpan OneWayLatency { get; set; }

    /// <summary>Bytes per second for answers; 0 = unlimited.</summary>
    public int BytesPerSecond { get; set; }

    /// <summary>New connections are closed at once, as with no network at all.</summary>
    public bool Offline { get; set; }

    /// <summary>Answers are not passed on (the request still reaches the server).</summary>
    public bool HoldAnswers { get; set; }

    /// <summary>HTTP requests that passed towards the gateway.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public long BytesDown => Interlocked.Read(ref _bytesDown);

    /// <summary>The next <paramref name="count"/> answers are cut after their first bytes, and the connection with them.</summary>
    public void CutNextAnswers(int count) => Interlocked.Exchange(ref _cutNext, count);

    /// <summary>Closes every open connection at once, as when the phone drops off the cell.</summary>
    public void DropAll()
    {
        lock (_gate)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        DropAll();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            if (Offline)
            {
                client.Client.Close(0);
                client.Dispose();
                continue;
            }

            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_gate)
        {
            _open.Add(client);
            _open.Add(server);
        }

        try
        {
            await server.ConnectAsync(_upstream, _stopping.Token);
            client.NoDelay = true;
            server.NoDelay = true;
            var up = PumpAsync(client.GetStream(), server.GetStream(), upstream: true, client, server);
            var down = PumpAsync(server.GetStream(), client.GetStream(), upstream: false, client, server);
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            client.Dispose();
            server.Dispose();
            lock (_gate)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool upstream, TcpClient client, TcpClient server)
    {
        var buffer = new byte[16 * 1024];
        var carry = Array.Empty<byte>();
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                if (OneWayLatency > TimeSpan.Zero)
                {
                    await Task.Delay(OneWayLatency, _stopping.Token);
                }

                if (upstream)
                {
                    carry = CountRequests(carry, buffer.AsSpan(0, read));
                    await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
                    continue;
                }

                while (HoldAnswers && !_stopping.IsCancellationRequested)
                {
                    await Task.Delay(20, _stopping.Token);
                }

                if (Volatile.Read(ref _cutNext) > 0 && Interlocked.Decrement(ref _cutNext) >= 0)
                {
                    // Half an answer, then the line goes dead.
                    await to.WriteAsync(buffer.AsMemory(0, Math.Min(read, 20)), _stopping.Token);
                    client.Client.Close(0);
                    server.Client.Close(0);
                    return;
                }

                await WriteCappedAsync(to, buffer.AsMemory(0, read));
                Interlocked.Add(ref _bytesDown, read);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task WriteCappedAsync(NetworkStream to, ReadOnlyMemory<byte> data)
    {
        if (BytesPerSecond <= 0)
        {
            await to.WriteAsync(data, _stopping.Token);
            return;
        }

        // 50 ms slices at the capped rate.
        var slice = Math.Max(1, BytesPerSecond / 20);
        for (var offset = 0; offset < data.Length; offset += slice)
        {
            var length = Math.Min(slice, data.Length - offset);
            await to.WriteAsync(data.Slice(offset, length), _stopping.Token);
            await Task.Delay(TimeSpan.FromSeconds((double)length / BytesPerSecond), _stopping.Token);
        }
    }

    private byte[] CountRequests(byte[] carry, ReadOnlySpan<byte> chunk)
    {
        var text = new byte[carry.Length + chunk.Length];
        carry.CopyTo(text, 0);
        chunk.CopyTo(text.AsSpan(carry.Length));
        var span = text.AsSpan();
        var index = 0;
        while (true)
        {
            var found = span[index..].IndexOf(RequestLineEnd);
            if (found < 0)
            {
                break;
            }

            Interlocked.Increment(ref _requests);
            index += found + RequestLineEnd.Length;
        }

        // Keep the tail in case a request line is split between two reads.
        var keep = Math.Min(RequestLineEnd.Length - 1, text.Length - index);
        return text[^keep..];
    }
}
