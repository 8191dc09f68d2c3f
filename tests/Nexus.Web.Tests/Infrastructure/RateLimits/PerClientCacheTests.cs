using Nexus.Web.Infrastructure.RateLimits;

namespace Nexus.Web.Tests.Infrastructure.RateLimits;

public sealed class PerClientCacheTests
{
    [Fact]
    public void A_client_gets_the_value_made_for_it_the_first_time()
    {
        var made = 0;
        var cache = new PerClientCache<string>(client => $"{client}#{++made}");

        Assert.Equal("10.0.0.1#1", cache.Get("10.0.0.1"));
        Assert.Equal("10.0.0.2#2", cache.Get("10.0.0.2"));
        Assert.Equal("10.0.0.1#1", cache.Get("10.0.0.1"));
        Assert.Equal(2, made);
    }

    [Fact]
    public void Past_its_bound_it_starts_over_instead_of_growing()
    {
        var made = 0;
        var cache = new PerClientCache<string>(client => $"{client}#{++made}", maxClients: 3);

        foreach (var client in new[] { "a", "b", "c" }) cache.Get(client);
        Assert.Equal("d#4", cache.Get("d")); // the fourth address empties the cache first
        Assert.Equal("a#5", cache.Get("a"));
        Assert.Equal("d#4", cache.Get("d"));
    }
}
