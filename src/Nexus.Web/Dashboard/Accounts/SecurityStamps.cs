using System.Security.Cryptography;

namespace Nexus.Web.Dashboard.Accounts;

/// <summary>A user's security stamp is copied into their cookie; a new one logs every old cookie out.</summary>
public static class SecurityStamps
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
