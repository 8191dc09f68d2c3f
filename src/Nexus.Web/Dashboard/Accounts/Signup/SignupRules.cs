using Nexus.Shared.Common;
using System.Net.Mail;

namespace Nexus.Web.Dashboard.Accounts.Signup;

/// <summary>What a new account must satisfy; each method returns the message to show, or null.</summary>
public static class SignupRules
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 200;
    public const int MaxOrgNameLength = 80;

    // Passwords long enough to pass the length rule that are still among the first an attacker tries.
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password12", "password123", "password1234", "passw0rd123", "1234567890", "12345678910",
        "0123456789", "0987654321", "1111111111", "qwertyuiop", "qwerty1234", "qwerty12345",
        "1q2w3e4r5t", "iloveyou12", "letmein123", "welcome123", "changeme123", "administrator",
        "abc1234567", "abcdefghij", "aaaaaaaaaa", "football123", "baseball123", "trustno1234",
    };

    public static string? EmailProblem(string normalizedEmail)
    {
        if (normalizedEmail.Length is 0) return "Enter your email address.";
        if (normalizedEmail.Length > 254
            || !MailAddress.TryCreate(normalizedEmail, out var parsed)
            || parsed.Address != normalizedEmail
            || !parsed.Host.Contains('.')
            || parsed.Host.EndsWith('.'))
            return "Enter a valid email address, like you@company.com.";
        return null;
    }

    public static string? PasswordProblem(string? password, string normalizedEmail)
    {
        if (string.IsNullOrEmpty(password)) return "Choose a password.";
        if (password.Length < MinPasswordLength) return $"Use at least {MinPasswordLength} characters.";
        if (password.Length > MaxPasswordLength) return $"Use at most {MaxPasswordLength} characters.";
        if (Common.Contains(password) || password.Distinct().Count() < 3
            || string.Equals(password, normalizedEmail, StringComparison.OrdinalIgnoreCase))
            return "This password is too easy to guess. Try a few unrelated words.";
        return null;
    }

    /// <summary>What is wrong with a (trimmed) org name, at signup and at rename alike; null when nothing.</summary>
    public static string? OrgNameProblem(string orgName) => orgName.Length switch
    {
        0 => "Enter the name of your organization.",
        > MaxOrgNameLength => $"Use at most {MaxOrgNameLength} characters.",
        // The name is shown in every page's title and sidebar.
        _ when !OneLine.Allows(orgName) => OneLine.Problem("name"),
        _ => null,
    };
}
