namespace Nexus.Bench.Receiver;

/// <summary>The few command-line options the two commands take (<c>--name value</c>).</summary>
internal static class Options
{
    public static string String(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} is required.");
    }

    public static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"Nexus.Bench.Receiver: {message}");
        return 2;
    }
}
