using OtpNet;

namespace Nexus.Shared.Accounts;

/// <summary>
/// Time-based one-time passwords as authenticator apps make them (RFC 6238: SHA-1, 30-second steps,
/// 6 digits), read against the given clock. A code for the step before or after the current one is
/// accepted too (phone clocks drift), but never one for a step at or before the last one accepted:
/// a code seen once, over a shoulder or in a proxy log, cannot be used again.
/// </summary>
public sealed class TotpCodes(TimeProvider clock)
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    private const int SecretBytes = 20; // 160 bits, the HMAC-SHA-1 block-friendly size RFC 4226 recommends

    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    /// <summary>A new random secret, base32 (what the QR code carries and a person can type).</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(SecretBytes));

    /// <summary>The <c>otpauth://</c> URI an authenticator app scans.</summary>
    public static string EnrolmentUri(string secret, string email, string issuer = "Nexus") =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(email)}?secret={secret}&issuer={Uri.EscapeDataString(issuer)}";

    /// <summary>Whether <paramref name="code"/> looks like a TOTP code at all (exactly six ASCII digits).</summary>
    public static bool IsWellFormed(string code) => code.Length == Digits && code.All(char.IsAsciiDigit);

    /// <summary>
    /// The time step <paramref name="code"/> is valid for, if it is valid now (±1 step) and for a step after
    /// <paramref name="lastAcceptedStep"/>; otherwise null. The caller stores the step it gets back.
    /// </summary>
    public long? Verify(string secret, string code, long lastAcceptedStep)
    {
        if (!IsWellFormed(code)) return null;
        var totp = new Totp(Base32Encoding.ToBytes(secret), StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, Drift) && step > lastAcceptedStep ? step : null;
    }

    /// <summary>The code for now (tests and enrolment checks only; the app never shows one).</summary>
    public string Now(string secret) =>
        new Totp(Base32Encoding.ToBytes(secret), StepSeconds, OtpHashMode.Sha1, Digits).ComputeTotp(clock.GetUtcNow().UtcDateTime);
}
