using System.Buffers.Binary;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Accounts;

/// <summary>
/// How passwords are stored, on a host with the product's own work factor (every other test host
/// hashes with <see cref="NexusApp{TTest}.TestPasswordIterations"/> to save time).
/// </summary>
public sealed class PasswordStorageTests(PasswordStorageTests.ProductHashing app) : IClassFixture<PasswordStorageTests.ProductHashing>
{
    public sealed class ProductHashing : NexusApp<PasswordStorageTests>
    {
        protected override bool CheapPasswordHashing => false;
    }

    [Fact]
    public async Task A_password_is_stored_as_salted_pbkdf2_sha512_with_at_least_100000_iterations()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();

        await using var session = app.Store.QuerySession();
        var user = Assert.Single(await session.Query<User>().Where(u => u.Email == email).ToListAsync());
        // ASP.NET Core's format 3: a marker byte, then the PRF, the iteration count and the salt's length, big-endian.
        var hash = Convert.FromBase64String(user.PasswordHash);
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1)));  // HMAC-SHA512
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)) >= 100_000);
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(9)) >= 16);  // salt bytes
    }
}
