using ConvParity.Cli;

namespace ConvParity.Tests;

/// <summary>The convparity command line run in process, as the command tests of every project call it.</summary>
public static class CommandRunner
{
    /// <summary>Runs the command line with <paramref name="args"/>: its exit code, output and errors.</summary>
    public static (int Code, string Output, string Errors) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = CommandLine.Run(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }
}
