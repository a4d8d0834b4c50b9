using ConvParity.Cpu;
using ConvParity.Engines;
using ConvParity.Gpu;

namespace ConvParity.Cli;

/// <summary>Parses the command line and dispatches to a command. Exit codes: see <see cref="ExitCodes"/>.</summary>
public static class CommandLine
{
    private const string Usage = """
        usage:
          convparity check --fixtures DIR [DIR...] [--engine NAME]... [--accelerator cuda|opencl|cpu] [--max-case-bytes N]
              Replays every case of every suite through every chosen engine (default: all)
              and judges each answer against the reference under the float32 error bound.
              --accelerator: the device of the gpu engine (default: $CONVPARITY_ACCELERATOR,
              else the first present of cuda, opencl, cpu); one that is not present is an error.
              Exit 0: all passed; 1: some failed; 2: bad arguments or an unreadable suite;
              3: none failed but some were unsupported.
              --max-case-bytes: the most memory one case may take while checked, estimated from its
              declared shapes before anything is read (48 bytes per element): a count, or with K, M, G
              (default 1G); a case above it fails with its reason and the others are checked.

          convparity generate --suite numpy|scipy|theano --out DIR [--seed N] [--force] [--check DIR]
          convparity generate --check DIR [--max-case-bytes N]
              Writes a reference suite (FIXTURES.md format) with the real libraries through embedded
              Python: a grid over every call and keyword value, then seeded random draws (seed 1 by
              default). DIR is written whole or not at all; an existing DIR needs --force.
              --check answers every case of a stored suite again with the live libraries and reports
              drift per case, judged under the float32 error bound.
              Python: CONVPARITY_PYTHON (an interpreter) or PYTHONNET_PYDLL, else /usr/bin/python3.
              Exit 0: written / no drift; 1: drift, or a library call failed; 2: bad arguments, an
              unreadable suite, an existing DIR, or Python, numpy or the suite's library missing;
              3: some calls not available or unsupported.

          convparity report --fixtures DIR [DIR...] [--engine NAME]... [--accelerator KIND] [--out DIR] [--force]
              What check does, as a table with a progress bar, and writes DIR/report.html and
              DIR/report.md (default artifacts/parity) with heatmaps of the worst cases. DIR is replaced
              whole: it must be new, empty or an earlier report, else --force; never the current folder,
              one above it, or one that is, holds or lies inside an input suite.
              Same closing line and exit codes as check.
          convparity explain --input X.npy --kernel W.npy --output Y.npy [--call NAME --kwargs JSON] [--limit N]
              Finds the convolution conventions (flip, 'same' anchor, pads, stride phase, layouts,
              transposed convolution) that turn x and w into y within the float32 bound, and says
              them in numpy's, scipy's and Theano's words. With --call, first tries that call and
              the conventions one bug away from it. Exit 0: found; 1: none reproduces y; 2: bad input
              (an unreadable, empty or 0-d array, each above 1 GiB).
        """;

    /// <summary>
    /// The engines this program offers. The gpu engine runs on <paramref name="accelerator"/>, or when null
    /// on the one named by CONVPARITY_ACCELERATOR, or on the first present of CUDA, OpenCL, CPU; its device
    /// is opened when the engine is first created, and shared by the whole process.
    /// </summary>
    public static EngineCatalog Engines(AcceleratorKind? accelerator = null) =>
        EngineCatalog.WithBuiltIns()
            .Add(CpuEngine.EngineName, () => new CpuEngine())
            .Add(GpuEngine.EngineName, () => GpuEngine.OnSharedDevice(accelerator ?? Accelerators.FromEnvironment()));

    private static int Report(string[] args, TextWriter output, TextWriter errors)
    {
        var (options, folder, force) = ReportCommand.Parse(args, Engines());
        return ReportCommand.Run(options, folder, Engines(options.Accelerator), output, errors, force);
    }

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
                "check" => Check(CheckCommand.Options.Parse(args[1..], Engines()), output, errors),
                "generate" => GenerateCommand.Run(GenerateCommand.Options.Parse(args[1..]), output, errors),
                "report" => Report(args[1..], output, errors),
                "explain" => ExplainCommand.Run(ExplainCommand.Options.Parse(args[1..]), output, errors),
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

    private static int Check(CheckCommand.Options options, TextWriter output, TextWriter errors) =>
        CheckCommand.Run(options, Engines(options.Accelerator), output, errors);
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
