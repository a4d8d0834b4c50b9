using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;
using ConvParity.Cpu;
using ConvParity.Engines;
using ConvParity.Gpu;

namespace ConvParity.Cli;

/// <summary>
/// The <c>convparity</c> command line, declared on System.CommandLine: one class per command
/// (<see cref="CheckCommand"/>, <see cref="ReportCommand"/>, <see cref="ExplainCommand"/>, <see
/// cref="GenerateCommand"/>), each with its options,
/// <c>-h/--help</c> and its exit codes in the help; <c>--version</c>; suggestions for mistyped commands and options;
/// <c>--option value</c>, <c>--option=value</c> and <c>--option:value</c>. Exit codes: see <see cref="ExitCodes"/>.
/// </summary>
public static class CommandLine
{
    /// <summary>
    /// The engines this program offers. The gpu engine runs on <paramref name="accelerator"/>, or when null
    /// on the one named by CONVPARITY_ACCELERATOR, or on the first present of CUDA, OpenCL, CPU; its device
    /// is opened when the engine is first created, and shared by the whole process.
    /// </summary>
    public static EngineCatalog Engines(AcceleratorKind? accelerator = null) =>
        EngineCatalog
            .WithBuiltIns()
            .Add(CpuEngine.EngineName, () => new CpuEngine())
            .Add(GpuEngine.EngineName, () => GpuEngine.OnSharedDevice(accelerator ?? Accelerators.FromEnvironment()));

    /// <summary>
    /// The root command with every subcommand, named <c>convparity</c> whatever the host process is called, with
    /// -h/--help on every command and --version (this assembly's informational version).
    /// </summary>
    public static Command Create()
    {
        var root = new Command(
            "convparity",
            """
            Checks convolution engines against the real answers of numpy, scipy and Theano, judged element by
            element under the float32 error bound.
            Exit codes: 0 passed, 1 failed, 2 bad arguments or unreadable input, 3 nothing failed but some cases
            were unsupported (each command's --help says what they mean for it).
            """
        )
        {
            new HelpOption { Recursive = true },
            new VersionOption { Action = new PrintVersion() },
            new CheckCommand(),
            new ReportCommand(),
            new ExplainCommand(),
            new GenerateCommand(),
        };
        return root;
    }

    /// <summary>--version: the version of the ConvParity packages this tool belongs to.</summary>
    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var assembly = typeof(CommandLine).Assembly;
            string version =
                assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString()
                ?? "unknown";
            parseResult.InvocationConfiguration.Output.WriteLine(version);
            return ExitCodes.Passed;
        }
    }

    /// <summary>
    /// Runs the command in <paramref name="args"/>, writing results (and help) to <paramref name="output"/> and
    /// problems to <paramref name="errors"/>. A command line that cannot be parsed gets a short error naming the bad
    /// argument,
    /// suggestions for a mistyped name, and exit code <see cref="ExitCodes.BadArguments"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (args is ["help", .. var rest])
            args = [.. rest, "--help"]; // `convparity help [command]` as before
        var result = Create().Parse(args);
        if (result.Errors.Count == 0)
        {
            var io = new InvocationConfiguration
            {
                Output = output,
                Error = errors,
                EnableDefaultExceptionHandler = false,
            };
            return result.Invoke(io);
        }

        if (result.Action is ParseErrorAction shortError)
        {
            shortError.ShowHelp = false;
            shortError.ShowTypoCorrections = true;
        }
        result.Invoke(new InvocationConfiguration { Output = errors, Error = errors }); // the errors and suggestions
        var bad = result.CommandResult.Command;
        string command = bad.Parents.Any() ? $"convparity {bad.Name}" : "convparity";
        errors.WriteLine($"'{command} --help' lists the options.");
        return ExitCodes.BadArguments;
    }
}
