using System.Text;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.RateLimits;

namespace Nexus.Web.Infrastructure.RequestLogs;

/// <summary>
/// While an org has turned on debug capture (Settings, for a short while), keeps the first 8 KB
/// of each request and response body, redacted by <see cref="BodyRedactor"/>, for its request log.
/// Otherwise it does nothing: bodies are never logged by default.
/// </summary>
public sealed class DebugCaptureMiddleware(RequestDelegate next, TimeProvider clock)
{
    public const string CaptureItem = "nx:debug-capture";

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.Items[RateLimitMiddleware.OrgSettingsItem] is not OrgSettings org || !org.CapturesBodiesAt(clock.GetUtcNow()))
        {
            await next(ctx);
            return;
        }

        ctx.Request.EnableBuffering();
        var requestBody = await ReadStartAsync(ctx.Request.Body, ctx.RequestAborted);
        ctx.Request.Body.Position = 0;

        var original = ctx.Response.Body;
        await using var tee = new CapturingStream(original, BodyRedactor.MaxChars * 4);
        ctx.Response.Body = tee;
        try
        {
            await next(ctx);
        }
        finally
        {
            ctx.Response.Body = original;
            ctx.Items[CaptureItem] = (BodyRedactor.Redact(requestBody), BodyRedactor.Redact(tee.Captured));
        }
    }

    private static async Task<string> ReadStartAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[BodyRedactor.MaxChars * 4];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>
    /// Passes every byte through and keeps a copy of the first <c>limit</c> of them. Each write
    /// reaches the inner stream the way it came: Stream's defaults would turn the array and
    /// Begin/End overloads of an async write (MemoryStream.CopyToAsync uses the first) into a
    /// synchronous one, which the server refuses.
    /// </summary>
    private sealed class CapturingStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream _copy = new();

        public string Captured => Encoding.UTF8.GetString(_copy.GetBuffer(), 0, (int)_copy.Length);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, ct);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override IAsyncResult BeginWrite(byte[] buffer, int offset, int count, AsyncCallback? callback, object? state) =>
            TaskToAsyncResult.Begin(WriteAsync(buffer, offset, count, CancellationToken.None), callback, state);

        public override void EndWrite(IAsyncResult asyncResult) => TaskToAsyncResult.End(asyncResult);

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Keep(buffer);
            inner.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            var room = limit - (int)_copy.Length;
            if (room > 0) _copy.Write(bytes[..Math.Min(room, bytes.Length)]);
        }

        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
