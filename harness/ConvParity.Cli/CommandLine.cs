using ConvParity.Cpu;
using ConvParity.Engines;

namespace ConvParity.Cli;

/// <summary>Parses the command line and dispatches to a command. Exit codes: see <see cref="ExitCodes"/>.</summary>
public static class CommandLine
{
    private const string Usage = """
        usage:
          convparity check --fixtures DIR [DIR...] [--engine NAME]...
              Replays every case of every suite through every chosen engine (default: all)
              and judges each answer against the reference under the float32 error bound.
              Exit 0: all passed; 1: some failed; 2: bad arguments or an unreadable suite;
              3: none failed but some were unsupported.
        """;

    /// <summary>The engines this program offers.</summary>
    public static EngineCatalog Engines() => EngineCatalog.WithBuiltIns().Add(CpuEngine.EngineName, () => new CpuEngine());

    /// <summary>Runs the command in <paramref name="args"/>, writing results to <paramref name="output"/> and problems to <paramref name="errors"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? errors : output).WriteLine(Usage);
            return args.Length == 0 ? ExitCodes.BadArguments : ExitCodes.Passed;
        }
        try
        {
            return args[0] switch
            {
                "check" => CheckCommand.Run(CheckCommand.Options.Parse(args[1..], Engines()), Engines(), output, errors),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            errors.WriteLine($"convparity: {e.Message}");
            errors.WriteLine(Usage);
            return ExitCodes.BadArguments;
        }
    }
}

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

/// <summary>A command line that cannot be run as given; the message says why.</summary>
public sealed class UsageException(string message) : Exception(message);
