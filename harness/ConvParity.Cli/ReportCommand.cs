using System.CommandLine;
using System.Diagnostics;
using ConvParity.Engines;
using ConvParity.Reporting;
using Spectre.Console;

namespace ConvParity.Cli;

/// <summary>
/// <c>convparity report</c>: what <c>check</c> does, shown as a Spectre.Console table with a progress bar,
/// and written as report.html / report.md with heatmaps. Same closing line and exit codes as check.
/// </summary>
public sealed class ReportCommand : Command
{
    /// <summary>Where the report goes unless --out says otherwise.</summary>
    public const string DefaultFolder = "artifacts/parity";

    /// <summary>What <c>report --help</c> says, exit codes included.</summary>
    public const string Help = """
        What check does, shown as a table (suite x engine: passed, failed, unsupported, worst error / bound),
        written to OUT/report.html (opens from disk) and OUT/report.md with heatmaps of the failing and worst
        cases. Same closing line as check.
        Exit codes: 0 all passed; 1 some failed; 2 bad arguments, an unreadable suite, an engine that cannot
        start, or a report that cannot be written; 3 none failed but some were unsupported.
        """;

    /// <summary>The suites, engines and accelerator options.</summary>
    private readonly SuiteOptions _suites;

    /// <summary>The report's folder.</summary>
    private readonly Option<string> _out = new("--out")
    {
        Description = $"The folder of report.html, report.md and the heatmaps (default: {DefaultFolder}).",
        HelpName = "DIR",
        DefaultValueFactory = _ => DefaultFolder,
    };

    /// <summary>Declares <c>report</c> and its options.</summary>
    public ReportCommand() : base("report", Help)
    {
        _suites = new SuiteOptions(this, CommandLine.Engines());
        Add(_out);
        SetAction(result =>
        {
            var options = _suites.Bind(result);
            var io = result.InvocationConfiguration;
            return Run(options, result.GetRequiredValue(_out), CommandLine.Engines(options.Accelerator), io.Output, io.Error);
        });
    }

    /// <summary>Checks every suite through every engine, prints the table, writes the report, closes with the count line.</summary>
    public static int Run(CheckCommand.Settings options, string folder, EngineCatalog catalog, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (CheckCommand.LoadSuites(options.Suites, "report", errors) is not { } suites) return ExitCodes.BadArguments;
        if (CheckCommand.CreateEngines(options.Engines, catalog, "report", errors) is not { } engines) return ExitCodes.BadArguments;
        var runs = CheckCommand.CheckSuites(suites, engines, errors);

        CheckCommand.WriteProblems(output, runs.SelectMany(r => r.Results));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (output != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 160;
        console.Write(SummaryTable.Build(runs));

        var clock = Stopwatch.StartNew();
        try
        {
            var (html, markdown) = ReportWriter.Write(folder, runs, engines);
            errors.WriteLine($"report written in {clock.Elapsed.TotalSeconds:F1} s: {html} and {markdown}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"convparity report: cannot write the report to {folder}: {e.Message}");
            return ExitCodes.BadArguments;
        }
        return CheckCommand.Close(output, [.. runs.SelectMany(r => r.Results)]);
    }
}
