namespace Nexus.Shared.Common;

/// <summary>Live data is real; test (sandbox) data is never mixed with it.</summary>
public enum Mode
{
    Test,
    Live,
}

public static class ModeNames
{
    public static string ToWire(this Mode mode) => mode == Mode.Live ? "live" : "test";

    /// <summary>The mode a value names, or test (the sandbox) for anything else: for pages, which show rather than refuse.</summary>
    public static Mode OrTest(string? value) => TryParse(value, out var mode) ? mode : Mode.Test;

    public static bool TryParse(string? value, out Mode mode)
    {
        switch (value)
        {
            case "live": mode = Mode.Live; return true;
            case "test": mode = Mode.Test; return true;
            default: mode = Mode.Test; return false;
        }
    }
}
