using System.Net;
using System.Net.Sockets;

namespace Hive.IntegrationTests;

/// <summary>What the fleet harness writes when an instance finds its port taken: who holds it.</summary>
public sealed class PortHoldersTests
{
    [Fact]
    public void NamesTheProcessListeningOnThePortALineNames()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var description = PortHolders.Describe($"Failed to bind to address http://127.0.0.1:{port}: address already in use.");

        Assert.StartsWith($"{port} is held by {Environment.ProcessId} (", description, StringComparison.Ordinal);
    }

    [Fact]
    public void SaysSoWhenNothingListensOrTheLineNamesNoPort()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        Assert.Equal($"nothing listens on {port} now", PortHolders.Describe($"http://127.0.0.1:{port}"));
        Assert.Equal("the line names no port", PortHolders.Describe("address already in use"));
    }
}
