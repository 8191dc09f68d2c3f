using System.Net;
using System.Net.Sockets;
using System.Text;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

/// <summary>
/// The connect-time check, through a real <see cref="SocketsHttpHandler"/> against a real loopback
/// listener: the address actually dialled is what counts, whatever the URL said.
/// </summary>
public sealed class SsrfGuardConnectTests : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public SsrfGuardConnectTests() => _listener.Start();

    public void Dispose() => _listener.Dispose();

    private static HttpClient ClientFor(SsrfGuard guard) =>
        new(new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync, AllowAutoRedirect = false, UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };

    /// <summary>Answers one request with 200 and an empty body.</summary>
    private async Task AnswerOneAsync()
    {
        using var socket = await _listener.AcceptSocketAsync();
        var buffer = new byte[8192];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n"))
        {
            var n = await socket.ReceiveAsync(buffer);
            if (n == 0) return;
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Without_the_allowlist_a_loopback_receiver_is_never_dialled(string host)
    {
        using var client = ClientFor(SsrfGuard.FromSettings(null, allowHttp: true));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://{host}:{Port}/hook", new StringContent("{}")));

        Assert.IsType<BlockedAddressException>(error.InnerException);
        Assert.False(_listener.Pending()); // no connection was even attempted
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task An_allowlist_of_other_private_networks_does_not_let_loopback_be_dialled(string host)
    {
        using var client = ClientFor(SsrfGuard.FromSettings("10.0.0.0/8,192.168.0.0/16", allowHttp: true));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://{host}:{Port}/hook", new StringContent("{}")));

        Assert.IsType<BlockedAddressException>(error.InnerException);
        Assert.False(_listener.Pending());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")] // may resolve to ::1 too: only the permitted 127.0.0.1 is dialled
    public async Task With_loopback_allowed_the_receiver_gets_the_request(string host)
    {
        using var client = ClientFor(SsrfGuard.FromSettings("127.0.0.0/8", allowHttp: true));
        var server = AnswerOneAsync();

        using var response = await client.PostAsync($"http://{host}:{Port}/hook", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await server;
    }

    [Fact]
    public async Task Allowing_ipv4_loopback_does_not_allow_ipv6_loopback()
    {
        using var v6 = new TcpListener(IPAddress.IPv6Loopback, 0);
        v6.Start();
        using var client = ClientFor(SsrfGuard.FromSettings("127.0.0.0/8", allowHttp: true));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.PostAsync($"http://[::1]:{((IPEndPoint)v6.LocalEndpoint).Port}/hook", new StringContent("{}")));

        Assert.IsType<BlockedAddressException>(error.InnerException);
        Assert.False(v6.Pending());
    }

    [Fact]
    public async Task A_permitted_address_that_refuses_the_connection_fails_as_a_socket_error_not_as_blocked()
    {
        var port = Port;
        _listener.Stop();
        using var client = ClientFor(SsrfGuard.FromSettings("127.0.0.0/8", allowHttp: true));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://127.0.0.1:{port}/hook", new StringContent("{}")));

        Assert.IsType<SocketException>(error.InnerException);
    }
}
