namespace Nexus.Worker.Tests.Chaos;

/// <summary>
/// scripts/db.sh starts PostgreSQL with glibc told to keep freed heap (MALLOC_TRIM_THRESHOLD_,
/// MALLOC_TOP_PAD_): without it, each request-log COPY ended in 10-20 brk calls, each a TLB flush
/// on the other core (see the comment in db.sh). The server and every backend it forks inherit the
/// environment, on first start and on every start after a stop.
/// </summary>
public sealed class ServerMemoryTests(ThrowawayCluster cluster) : IClassFixture<ThrowawayCluster>
{
    [Fact]
    public async Task The_server_keeps_freed_heap_instead_of_trimming_it_after_every_batch_and_still_does_after_a_restart()
    {
        AssertMallocSettings(cluster.ServerProcessId);
        await cluster.RestartAsync();
        AssertMallocSettings(cluster.ServerProcessId);
    }

    private static void AssertMallocSettings(int pid)
    {
        var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
        Assert.Contains("MALLOC_TRIM_THRESHOLD_=4194304", environment);
        Assert.Contains("MALLOC_TOP_PAD_=1048576", environment);
    }
}
