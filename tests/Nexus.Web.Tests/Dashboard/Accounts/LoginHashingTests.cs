using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nexus.Shared.Accounts;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Accounts;

/// <summary>
/// An unknown email costs the same hashing work as a wrong password (a locked account verifies the
/// same stand-in hash): the hash verified is made with the accounts' own work factor, whatever it is.
/// </summary>
public sealed class LoginHashingTests(LoginHashingTests.Recording app) : IClassFixture<LoginHashingTests.Recording>
{
    /// <summary>The app with its password hasher wrapped, recording the iteration count of every hash it verifies.</summary>
    public sealed class Recording : NexusApp<LoginHashingTests>
    {
        public ConcurrentQueue<uint> Verified { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<User>>(sp =>
                new RecordingHasher(new PasswordHasher<User>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()), Verified)));
        }
    }

    private sealed class RecordingHasher(IPasswordHasher<User> inner, ConcurrentQueue<uint> verified) : IPasswordHasher<User>
    {
        public string HashPassword(User user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            verified.Enqueue(PasswordHashFormat.Read(hashedPassword).Iterations);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_verify_hashes_of_the_same_work_factor()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();
        var other = DashboardClient.For(app);
        app.Verified.Clear();

        await other.LogInAsync(email, "not-the-password-1");
        await other.LogInAsync(DashboardClient.NewEmail(), "not-the-password-1");

        Assert.Equal([NexusApp<LoginHashingTests>.TestPasswordIterations, NexusApp<LoginHashingTests>.TestPasswordIterations], app.Verified.ToArray());
    }
}
