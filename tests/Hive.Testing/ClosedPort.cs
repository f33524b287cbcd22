using System.Net;
using System.Net.Sockets;

namespace Hive.Testing;

/// <summary>
/// A loopback port where nothing answers (connections are refused) for as long as this lives. The port is
/// bound but never listened on, so no other server started meanwhile (by a parallel test) can take it,
/// which a port merely found free and released could not promise.
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public void Dispose() => _socket.Dispose();
}
