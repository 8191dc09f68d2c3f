namespace Nexus.Shared.Common;

/// <summary>Caller input quoted back in an error message, cut short so a huge or hostile value is never reflected whole.</summary>
public static class Echo
{
    public static string Clip(string value, int max = 64) => value.Length > max ? value[..max] + "…" : value;
}
