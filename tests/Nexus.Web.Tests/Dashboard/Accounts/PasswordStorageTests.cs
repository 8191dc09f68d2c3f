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
        var hash = PasswordHashFormat.Read(user.PasswordHash);
        Assert.Equal(0x01, hash.Marker);
        Assert.Equal(PasswordHashFormat.HmacSha512, hash.Prf);
        Assert.True(hash.Iterations >= 100_000);
        Assert.True(hash.SaltLength >= 16);
    }
}
