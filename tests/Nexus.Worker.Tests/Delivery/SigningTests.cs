using System.Text;
using Microsoft.AspNetCore.Http;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Delivery;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>What a receiver gets: the event's exact bytes, the Standard Webhooks headers, and signatures any implementation verifies.</summary>
public sealed class SigningTests(DeliveryWorld<SigningTests> world) : IClassFixture<DeliveryWorld<SigningTests>>
{
    [Fact]
    public async Task A_delivery_carries_the_standard_headers_and_a_signature_the_standardwebhooks_npm_package_verifies()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = c => c.Response.WriteAsync("thanks");
        var secret = WebhookSigner.NewSecret();
        var endpoint = await world.NewEndpointAsync(receiver.Url(), secret);
        var (evt, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System, requestId: "req_0123456789");

        await world.Engine(TimeProvider.System).RunUntilIdleAsync();

        var request = Assert.Single(receiver.Requests);
        Assert.Equal(Encoding.UTF8.GetBytes(evt.Payload), request.Body);
        Assert.Equal(evt.Id, request.Header("webhook-id"));
        Assert.InRange(long.Parse(request.Header("webhook-timestamp")), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 10, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.StartsWith("v1,", request.Header("webhook-signature"));
        Assert.Equal(request.Header("webhook-signature"), request.Header("x-nexus-signature"));
        Assert.Equal("req_0123456789", request.Header("x-request-id"));
        Assert.Equal("application/json", request.Header("content-type"));
        Assert.Matches(@"^Nexus-Webhooks/\d", request.Header("user-agent"));

        Assert.Equal(["ok"], await NodeVerifier.VerifyAsync([(secret, request)]));
        // The verifier can say no: the same request with one byte changed, or under another secret.
        var tampered = request with { Body = [.. request.Body[..^1], (byte)' '] };
        Assert.All(await NodeVerifier.VerifyAsync([(secret, tampered), (WebhookSigner.NewSecret(), request)]), r => Assert.NotEqual("ok", r));

        var delivery = await world.DeliveryAsync(Assert.Single(deliveries).Id);
        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Null(delivery.NextAttemptAt);
        Assert.Null(delivery.LeaseToken);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.True(attempt.Succeeded);
        Assert.Equal((200, "thanks"), (attempt.StatusCode, attempt.ResponseBody));
        Assert.Null(attempt.ErrorCode);
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_sign_and_either_verifies_and_without_a_request_id_the_attempt_id_is_sent()
    {
        await using var receiver = await Receiver.StartAsync();
        var (current, previous) = (WebhookSigner.NewSecret(), WebhookSigner.NewSecret());
        var endpoint = await world.NewEndpointAsync(receiver.Url(), current, configure: e =>
        {
            e.PreviousSecretCiphertext = world.Box.Encrypt(previous);
            e.PreviousSecretExpiresAt = DateTimeOffset.UtcNow.AddHours(1);
        });
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);

        await world.Engine(TimeProvider.System).RunUntilIdleAsync();

        var request = Assert.Single(receiver.Requests);
        Assert.Equal(2, request.Header("webhook-signature").Split(' ').Length);
        Assert.Equal(["ok", "ok"], await NodeVerifier.VerifyAsync([(current, request), (previous, request)]));
        var attempt = Assert.Single((await world.DeliveryAsync(deliveries[0].Id)).Attempts);
        Assert.Equal(attempt.Id, request.Header("x-request-id"));
    }

    [Fact]
    public async Task An_expired_previous_secret_no_longer_signs()
    {
        await using var receiver = await Receiver.StartAsync();
        var (current, previous) = (WebhookSigner.NewSecret(), WebhookSigner.NewSecret());
        var endpoint = await world.NewEndpointAsync(receiver.Url(), current, configure: e =>
        {
            e.PreviousSecretCiphertext = world.Box.Encrypt(previous);
            e.PreviousSecretExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        });
        await world.PublishAsync(endpoint.OrgId, TimeProvider.System);

        await world.Engine(TimeProvider.System).RunUntilIdleAsync();

        var request = Assert.Single(receiver.Requests);
        Assert.Single(request.Header("webhook-signature").Split(' '));
        var results = await NodeVerifier.VerifyAsync([(current, request), (previous, request)]);
        Assert.Equal("ok", results[0]);
        Assert.NotEqual("ok", results[1]);
    }
}
