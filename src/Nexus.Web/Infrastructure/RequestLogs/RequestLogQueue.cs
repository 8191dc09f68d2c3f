using System.Threading.Channels;
using Nexus.Shared.RequestLogs;

namespace Nexus.Web.Infrastructure.RequestLogs;

/// <summary>
/// Where requests drop their log entry without waiting: a bounded in-memory channel that
/// <see cref="RequestLogWriter"/> drains in batches. When the database falls behind and the
/// channel is full, new entries are dropped and counted rather than growing memory without bound.
/// </summary>
public sealed class RequestLogQueue(ILogger<RequestLogQueue> log)
{
    public const int Capacity = 20_000;

    private readonly Channel<RequestLog> _channel = Channel.CreateBounded<RequestLog>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private long _dropped;

    /// <summary>Entries dropped because the queue was full, since the process started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<RequestLog> Reader => _channel.Reader;

    public void Enqueue(RequestLog entry)
    {
        // DropWrite makes TryWrite report success even when it drops, so check the room first;
        // the count can be off by a few under a race, which is fine for a shed-load counter.
        if (_channel.Reader.Count >= Capacity || !_channel.Writer.TryWrite(entry))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            // One warning per 1,000 drops: a full queue must not also flood the log.
            if (dropped % 1000 == 1) log.LogWarning("Request log queue full; {Dropped} entries dropped so far", dropped);
        }
    }
}
