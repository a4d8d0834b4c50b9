namespace ConvParity.Cli;

/// <summary>The process exit codes of every command.</summary>
public static class ExitCodes
{
    /// <summary>Everything passed.</summary>
    public const int Passed = 0;

    /// <summary>Some case failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments, or an input that cannot be read.</summary>
    public const int BadArguments = 2;

    /// <summary>Nothing failed, but some cases were unsupported.</summary>
    public const int Unsupported = 3;
}
