using System.Diagnostics;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Reporting;
using Spectre.Console;

namespace ConvParity.Cli;

/// <summary>
/// <c>convparity report</c>: what <c>check</c> does, shown as a Spectre.Console table with a progress bar,
/// and written as report.html / report.md with heatmaps. Same closing line and exit codes as check.
/// </summary>
public static class ReportCommand
{
    /// <summary>Where the report goes unless --out says otherwise.</summary>
    public const string DefaultFolder = "artifacts/parity";

    /// <summary>Parses <c>--fixtures DIR [DIR...] [--engine NAME]... [--out DIR] [--force]</c>.</summary>
    /// <exception cref="UsageException">Missing or unknown options or values.</exception>
    public static (CheckCommand.Options Check, string Out, bool Force) Parse(string[] args, EngineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool force = args.Contains("--force");
        args = [.. args.Where(a => a != "--force")];
        int at = Array.IndexOf(args, "--out");
        string folder = DefaultFolder;
        if (at >= 0)
        {
            if (at + 1 >= args.Length || args[at + 1].StartsWith("--", StringComparison.Ordinal)) throw new UsageException("report: --out needs a folder");
            folder = args[at + 1];
            args = [.. args[..at], .. args[(at + 2)..]];
        }
        try { return (CheckCommand.Options.Parse(args, catalog), folder, force); }
        catch (UsageException e) { throw new UsageException("report" + e.Message["check".Length..]); }
    }

    /// <summary>
    /// Checks every suite through every engine, prints the table, writes the report, closes with the count line.
    /// A --out folder the report may not replace (<see cref="ReportFolder"/>) is refused before the check runs.
    /// </summary>
    public static int Run(CheckCommand.Options options, string folder, EngineCatalog catalog, TextWriter output, TextWriter errors,
        bool force = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (CheckCommand.LoadSuites(options.Suites, "report", errors, options.MaxCaseBytes) is not { } suites) return ExitCodes.BadArguments;
        if (ReportFolder.Refusal(folder, suites.Select(s => s.Directory), force) is { } refusal)
        {
            errors.WriteLine($"convparity report: {refusal}");
            return ExitCodes.BadArguments;
        }
        if (CheckCommand.CreateEngines(options.Engines, catalog, "report", errors) is not { } engines) return ExitCodes.BadArguments;
        var runs = Check(suites, engines, errors);

        CheckCommand.WriteProblems(output, runs.SelectMany(r => r.Results));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (output != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 160;
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

    /// <summary>Runs the suites with a progress bar on a terminal, a line per suite otherwise.</summary>
    private static List<SuiteRun> Check(List<FixtureSuite> suites, List<IConvEngine> engines, TextWriter errors)
    {
        var runs = new List<SuiteRun>();
        if (Console.IsErrorRedirected || errors != Console.Error)
        {
            foreach (var suite in suites)
            {
                var clock = Stopwatch.StartNew();
                runs.Add(new SuiteRun(suite, CheckCommand.Check(suite, engines)));
                errors.WriteLine($"{suite.Name}: {suite.Cases.Count} cases x {engines.Count} engine(s) in {clock.Elapsed.TotalSeconds:F1} s");
            }
            return runs;
        }
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
        terminal.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = suites.Select(s => context.AddTask($"{s.Name} ({s.Cases.Count} cases x {engines.Count} engines)", autoStart: false, maxValue: s.Cases.Count)).ToList();
                for (int i = 0; i < suites.Count; i++)
                {
                    var task = tasks[i];
                    task.StartTask();
                    runs.Add(new SuiteRun(suites[i], CheckCommand.Check(suites[i], engines, (done, _) => task.Value = done)));
                    task.Value = task.MaxValue;
                    task.StopTask();
                }
            });
        return runs;
    }
}
