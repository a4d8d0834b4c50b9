using System.CommandLine;
using System.Diagnostics;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Reporting;
using Spectre.Console;

namespace ConvParity.Cli;

/// <summary>
/// <c>convparity report</c>: what <c>check</c> does, shown as a Spectre.Console table with a progress bar,
/// and written as report.html (one self-contained page with its figures inlined) and report.md. Same closing line and
/// exit codes as check.
/// </summary>
public sealed class ReportCommand : Command
{
    /// <summary>Where the report goes unless --out says otherwise.</summary>
    public const string DefaultFolder = "artifacts/parity";

    /// <summary>What <c>report --help</c> says, exit codes included.</summary>
    public const string Help = """
        What check does, shown as a table (suite x engine: passed, failed, unsupported, worst error / bound),
        written to OUT/report.html (one self-contained page, figures inlined: it opens from anywhere, alone) and
        OUT/report.md: the distribution of error / bound per suite, a table per call, the failing cases with their
        likely cause, then the passes nearest their bound, each case drawn once beside every engine's verdict.
        Same closing line as check.
        Exit codes: 0 all passed; 1 some failed; 2 bad arguments, an unreadable suite, an engine that cannot
        start, a report that cannot be written, or an --out the report may not replace; 3 none failed but some
        were unsupported.
        OUT is replaced whole: it must be new, empty or an earlier report, else --force; never the current folder,
        one above it, or one that is, holds or lies inside an input suite (refused before the check runs).
        """;

    /// <summary>The suites, engines and accelerator options.</summary>
    private readonly SuiteOptions _suites;

    /// <summary>The report's folder.</summary>
    private readonly Option<string> _out = new("--out")
    {
        Description = $"The folder of report.html and report.md (default: {DefaultFolder}).",
        HelpName = "DIR",
        DefaultValueFactory = _ => DefaultFolder,
    };

    /// <summary>Replace an --out folder that is not an earlier report.</summary>
    private readonly Option<bool> _force = new("--force")
    {
        Description =
            "Replace an --out folder that is neither empty nor an earlier report "
            + "(never an input suite or the current folder).",
    };

    /// <summary>Declares <c>report</c> and its options.</summary>
    public ReportCommand()
        : base("report", Help)
    {
        _suites = new SuiteOptions(this, CommandLine.Engines());
        Add(_out);
        Add(_force);
        SetAction(result =>
        {
            var options = _suites.Bind(result);
            var io = result.InvocationConfiguration;
            return Run(
                options,
                result.GetRequiredValue(_out),
                CommandLine.Engines(options.Accelerator),
                io.Output,
                io.Error,
                result.GetValue(_force)
            );
        });
    }

    /// <summary>
    /// Checks every suite through every engine, prints the table, writes the report, closes with the count line.
    /// A --out folder the report may not replace (<see cref="ReportFolder"/>) is refused before the check runs.
    /// </summary>
    public static int Run(
        CheckCommand.Settings options,
        string folder,
        EngineCatalog catalog,
        TextWriter output,
        TextWriter errors,
        bool force = false
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (CheckCommand.LoadSuites(options.Suites, "report", errors, options.MaxCaseBytes) is not { } suites)
            return ExitCodes.BadArguments;
        if (ReportFolder.Refusal(folder, suites.Select(s => s.Directory), force) is { } refusal)
        {
            errors.WriteLine($"convparity report: {refusal}");
            return ExitCodes.BadArguments;
        }
        if (CheckCommand.CreateEngines(options.Engines, catalog, "report", errors) is not { } engines)
            return ExitCodes.BadArguments;
        var runs = CheckCommand.CheckSuites(suites, engines, errors);

        CheckCommand.WriteProblems(output, runs.SelectMany(r => r.Results));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (output != Console.Out || Console.IsOutputRedirected)
            console.Profile.Width = 160;
        console.Write(SummaryTable.Build(runs));

        var clock = Stopwatch.StartNew();
        try
        {
            var (html, markdown) = ReportWriter.Write(folder, runs, engines, force);
            errors.WriteLine($"report written in {clock.Elapsed.TotalSeconds:F1} s: {html} and {markdown}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutputFolderException)
        {
            errors.WriteLine($"convparity report: cannot write the report to {folder}: {e.Message}");
            return ExitCodes.BadArguments;
        }
        return CheckCommand.Close(output, [.. runs.SelectMany(r => r.Results)]);
    }
}
