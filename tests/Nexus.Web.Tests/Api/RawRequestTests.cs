using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>
/// Requests no HTTP client library sends, written to a socket of real Kestrel: each was a 500
/// before, and is now a 400 with the error object on the API.
/// </summary>
public sealed class RawRequestTests(NexusApp<RawRequestTests> app) : IClassFixture<NexusApp<RawRequestTests>>
{
    private async Task<(int Status, string Body)> SendAsync(string request)
    {
        var address = app.StartKestrel();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1]);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = response[(split + 4)..];
        if (response[..split].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            var whole = new StringBuilder();
            for (var at = 0; ;)
            {
                var end = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                var size = Convert.ToInt32(body[at..end], 16);
                if (size == 0) break;
                whole.Append(body, end + 2, size);
                at = end + 2 + size + 2;
            }
            body = whole.ToString();
        }
        return (status, body);
    }

    [Theory]
    [InlineData("xn--")]
    [InlineData("a.xn--zz")]
    public async Task A_host_header_that_is_not_a_host_name_is_400_naming_it(string host)
    {
        var (status, body) = await SendAsync($"GET /api/v1/notes HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        Assert.Equal(400, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(("parameter_invalid", "Host"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        // Its links cannot name a host it could not read: they are relative.
        Assert.StartsWith("/docs/errors/", error.GetProperty("doc_url").GetString());

        var (page, _) = await SendAsync($"GET /login HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        Assert.Equal(400, page);
    }

    [Fact]
    public async Task A_chunk_declared_over_2_gb_is_400_with_the_error_object()
    {
        var (key, _) = await (await app.CreateOrgAsync()).CreateKeyAsync();

        var (status, body) = await SendAsync(
            $"POST /api/v2/notes HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nffffffff\r\n{{}}\r\n0\r\n\r\n");

        Assert.Equal(400, status);
        Assert.Equal("body_invalid_json", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
