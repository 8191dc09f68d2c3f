using System.Buffers;
using System.Text;
using Nexus.Shared.Webhooks;

namespace Nexus.Worker.Delivery;

/// <summary>
/// Keeps what a receiver answered, within bounds: at most <see cref="DeliveryAttempt.MaxStoredBodyBytes"/>
/// of the body (read no further, never decompressed), at most 50 headers of 1 KB, and text that
/// PostgreSQL's jsonb can hold whatever bytes the receiver sent.
/// </summary>
internal static class ResponseCapture
{
    private const int MaxStoredHeaders = 50, MaxHeaderValueLength = 1024;

    /// <summary>Reads the first bytes of the body; a body that stalls or never ends is cut off by the attempt's timeout.</summary>
    public static async Task ReadBodyAsync(HttpResponseMessage response, DeliveryAttempt attempt, CancellationToken timeout, CancellationToken stopping)
    {
        // Pooled: most receivers answer with an empty body, and a fresh 20 KB buffer per attempt is garbage at once.
        var buffer = ArrayPool<byte>.Shared.Rent(DeliveryAttempt.MaxStoredBodyBytes + 1);
        try
        {
            var read = await ReadUpToAsync(response, buffer.AsMemory(0, DeliveryAttempt.MaxStoredBodyBytes + 1), attempt, timeout, stopping);
            attempt.ResponseBodyTruncated = read > DeliveryAttempt.MaxStoredBodyBytes;
            attempt.ResponseBody = read == 0 ? null : Cap(Printable(Encoding.UTF8.GetString(buffer, 0, Math.Min(read, DeliveryAttempt.MaxStoredBodyBytes))));
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    /// <summary>Fills <paramref name="buffer"/> as far as the body goes; a failure part-way keeps what arrived and says so.</summary>
    private static async Task<int> ReadUpToAsync(HttpResponseMessage response, Memory<byte> buffer, DeliveryAttempt attempt, CancellationToken timeout, CancellationToken stopping)
    {
        var read = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(timeout);
            int n;
            while (read < buffer.Length && (n = await body.ReadAsync(buffer[read..], timeout)) > 0) read += n;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            attempt.Error = "The response body did not arrive in full within the timeout; what arrived is kept.";
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            attempt.Error = "The connection broke while reading the response body: " + Describe(e);
        }
        return read;
    }

    public static Dictionary<string, string> Headers(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            if (headers.Count >= MaxStoredHeaders) break;
            var value = string.Join(", ", values);
            headers[name.ToLowerInvariant()] = Printable(value.Length > MaxHeaderValueLength ? value[..MaxHeaderValueLength] : value);
        }
        return headers;
    }

    /// <summary>PostgreSQL's jsonb cannot hold NUL characters, and a receiver may send anything.</summary>
    private static string Printable(string text) => text.Contains('\0') ? text.Replace('\0', '\uFFFD') : text;

    /// <summary>Binary bodies decode to replacement characters (3 bytes each); the stored text stays within the cap all the same.</summary>
    private static string Cap(string text)
    {
        var bytes = 0;
        var i = 0;
        for (; i < text.Length; i++)
        {
            var size = char.IsSurrogate(text[i]) ? 2 : text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : 3;
            if (bytes + size > DeliveryAttempt.MaxStoredBodyBytes) break;
            bytes += size;
        }
        if (i < text.Length && i > 0 && char.IsHighSurrogate(text[i - 1])) i--;
        return i == text.Length ? text : text[..i];
    }

    public static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException) if (e is T found) return found;
        return null;
    }

    public static string Describe(Exception e) => Find<System.Net.Sockets.SocketException>(e)?.Message ?? e.Message;
}
