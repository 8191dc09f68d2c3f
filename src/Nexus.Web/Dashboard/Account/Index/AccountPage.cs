using Nexus.Shared.Accounts;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Shared;
using QRCoder;

namespace Nexus.Web.Dashboard.Account.Index;

/// <summary>An authenticator secret being set up: the secret to type, and the same as a QR code.</summary>
public sealed record Enrolment(string Secret, string QrDataUri)
{
    /// <summary>
    /// The QR code of the <c>otpauth://</c> URI as an SVG in a <c>data:</c> URI: drawn here, so no
    /// third party ever sees the secret, and allowed by the CSP (<c>img-src 'self' data:</c>), which an
    /// inline SVG's style attributes would not be.
    /// </summary>
    public static Enrolment For(string secret, string email)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(TotpCodes.EnrolmentUri(secret, email), QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return new Enrolment(secret, "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg)));
    }

    /// <summary>The secret in groups of four, easier to type by hand.</summary>
    public string Grouped => string.Join(' ', Secret.Chunk(4).Select(c => new string(c)));
}

/// <summary>
/// The Account page: who you are, the password form, and two-factor authentication in one of its
/// states (off, being set up, on, or just turned on with its recovery codes showing once).
/// </summary>
public sealed record AccountPage(
    string Email,
    bool TwoFactorOn,
    int RecoveryCodesLeft,
    FormErrors Errors,
    Enrolment? Enrolment = null,
    IReadOnlyList<string>? NewRecoveryCodes = null,
    string? Notice = null)
{
    public const string View = "~/Dashboard/Account/Index/Index.cshtml";
    public const string Path = "/account";

    public static AccountPage For(User user, SecretBox box, FormErrors? errors = null, bool enrolling = false,
        IReadOnlyList<string>? newCodes = null, string? notice = null) =>
        new(user.Email, user.TwoFactorEnabled, user.RecoveryCodeHashes.Count, errors ?? new FormErrors(),
            enrolling && !user.TwoFactorEnabled && user.PendingTotpSecret is { } pending ? Enrolment.For(box.Decrypt(pending), user.Email) : null,
            newCodes, notice);

    /// <summary>The messages a redirect after a change asks this page to show (<c>?done=…</c>).</summary>
    public static string? NoticeFor(string? done) => done switch
    {
        "password" => "Password changed. Your other sessions are signed out.",
        "2fa-off" => "Two-factor authentication is off.",
        _ => null,
    };
}
