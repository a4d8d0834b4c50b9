using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Gpu;
using ConvParity.Reporting;

namespace ConvParity.Cli;

/// <summary><c>convparity check</c>: replays fixture suites through engines under the judge.</summary>
public sealed class CheckCommand : Command
{
    /// <summary>What <c>check --help</c> says, exit codes included.</summary>
    public const string Help = """
        Replays every case of every suite through every chosen engine (default: all) and judges each answer
        against the reference under the float32 error bound. Prints one line per failing or unsupported case,
        a table per suite, and closes with "N passed, N failed, N unsupported".
        Exit codes: 0 all passed; 1 some failed; 2 bad arguments, an unreadable suite or an engine that cannot
        start; 3 none failed but some were unsupported.
        """;

    /// <summary>The suites, engines and accelerator options.</summary>
    private readonly SuiteOptions _suites;

    /// <summary>Declares <c>check</c> and its options.</summary>
    public CheckCommand()
        : base("check", Help)
    {
        _suites = new SuiteOptions(this, CommandLine.Engines());
        SetAction(result =>
        {
            var options = _suites.Bind(result);
            var io = result.InvocationConfiguration;
            return Run(options, CommandLine.Engines(options.Accelerator), io.Output, io.Error);
        });
    }

    /// <summary>The arguments of <c>check</c>, as parsed.</summary>
    /// <param name="Suites">Suite folders, in the order given.</param>
    /// <param name="Engines">Engine names, in the order given.</param>
    /// <param name="Accelerator">The gpu engine's accelerator from --accelerator; null when not given.</param>
    /// <param name="MaxCaseBytes">The cap on one case from --max-case-bytes (<see cref="CaseLimits"/>).</param>
    public sealed record Settings(
        IReadOnlyList<string> Suites,
        IReadOnlyList<string> Engines,
        AcceleratorKind? Accelerator = null,
        long MaxCaseBytes = CaseLimits.DefaultMaxCaseBytes
    );

    /// <summary>Runs the check and prints the failing cases, a table per suite and the closing count line.</summary>
    public static int Run(Settings options, EngineCatalog catalog, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);

        if (LoadSuites(options.Suites, "check", errors, options.MaxCaseBytes) is not { } suites)
            return ExitCodes.BadArguments;
        if (CreateEngines(options.Engines, catalog, "check", errors) is not { } engines)
            return ExitCodes.BadArguments;

        var runs = CheckSuites(suites, engines, errors);
        foreach (var run in runs)
        {
            WriteProblems(output, run.Results);
            WriteTable(output, run.Suite, engines.Select(e => e.Name), run.Results);
        }
        return Close(output, [.. runs.SelectMany(r => r.Results)]);
    }

    /// <summary>Reads every manifest first, so an unreadable suite stops the run before any work; null (and the reason
    /// on <paramref name="errors"/>) when one is unreadable.</summary>
    public static List<FixtureSuite>? LoadSuites(
        IEnumerable<string> folders,
        string command,
        TextWriter errors,
        long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes
    )
    {
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(errors);
        var suites = new List<FixtureSuite>();
        foreach (string folder in folders)
        {
            try
            {
                suites.Add(FixtureSuite.Load(folder, maxCaseBytes));
            }
            catch (FixtureException e)
            {
                errors.WriteLine($"convparity {command}: unreadable suite: {e.Message}");
                return null;
            }
        }
        return suites;
    }

    /// <summary>
    /// Every suite through every engine, with a progress bar on a terminal and, per suite, a line with its size
    /// and time on <paramref name="errors"/>.
    /// </summary>
    public static List<SuiteRun> CheckSuites(
        IReadOnlyList<FixtureSuite> suites,
        IReadOnlyList<IConvEngine> engines,
        TextWriter errors
    )
    {
        ArgumentNullException.ThrowIfNull(suites);
        ArgumentNullException.ThrowIfNull(engines);
        ArgumentNullException.ThrowIfNull(errors);
        var runs = new List<SuiteRun>();
        ConsoleProgress.Run(
            errors,
            [.. suites.Select(s => $"{s.Name} ({s.Cases.Count} cases x {engines.Count} engines)")],
            (i, progress) =>
            {
                var clock = Stopwatch.StartNew();
                runs.Add(new SuiteRun(suites[i], Check(suites[i], engines, progress)));
                return $"{suites[i].Name}: {suites[i].Cases.Count} cases x {engines.Count} engine(s) "
                    + $"in {clock.Elapsed.TotalSeconds:F1} s";
            }
        );
        return runs;
    }

    /// <summary>One line per failing or unsupported result.</summary>
    public static void WriteProblems(TextWriter output, IEnumerable<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(results);
        foreach (var r in results.Where(r => r.Outcome != CaseOutcome.Passed))
            output.WriteLine(
                $"{(r.Outcome == CaseOutcome.Failed ? "FAILED" : "UNSUPPORTED")} {r.CaseId} [{r.Engine}]: {r.Message}"
            );
    }

    /// <summary>Writes the closing line "N passed, N failed, N unsupported" and returns the exit code it
    /// means.</summary>
    public static int Close(TextWriter output, IReadOnlyCollection<CaseResult> all)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(all);
        int passed = all.Count(r => r.Outcome == CaseOutcome.Passed);
        int failed = all.Count(r => r.Outcome == CaseOutcome.Failed);
        int unsupported = all.Count(r => r.Outcome == CaseOutcome.Unsupported);
        output.WriteLine($"{passed} passed, {failed} failed, {unsupported} unsupported");
        return failed > 0 ? ExitCodes.Failed
            : unsupported > 0 ? ExitCodes.Unsupported
            : ExitCodes.Passed;
    }

    /// <summary>Creates the named engines; an engine that cannot start (a missing accelerator) is reported and yields
    /// null.</summary>
    public static List<IConvEngine>? CreateEngines(
        IEnumerable<string> names,
        EngineCatalog catalog,
        string command,
        TextWriter errors
    )
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(errors);
        var engines = new List<IConvEngine>();
        foreach (string name in names)
        {
            try
            {
                engines.Add(catalog.Create(name));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                errors.WriteLine($"convparity {command}: engine '{name}' is unavailable: {e.Message}");
                return null;
            }
            if (engines[^1] is GpuEngine gpu)
                errors.WriteLine($"engine {name} runs on {gpu.Device}");
        }
        return engines;
    }

    /// <summary>Every case of <paramref name="suite"/> through every engine, cases in parallel, results in manifest
    /// order.</summary>
    public static IReadOnlyList<CaseResult> Check(
        FixtureSuite suite,
        IReadOnlyList<IConvEngine> engines,
        Action<int, int>? progress = null
    )
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(engines);
        int done = 0;
        var perCase = new CaseResult[suite.Cases.Count][];
        Parallel.For(
            0,
            suite.Cases.Count,
            i =>
            {
                using (FixtureCheck.Turn(suite, suite.Cases[i]))
                    perCase[i] = [.. engines.Select(FixtureCheck.Prepare(suite, suite.Cases[i]).Run)];
                int finished = Interlocked.Increment(ref done);
                if (finished % 25 == 0 || finished == suite.Cases.Count)
                    progress?.Invoke(finished, suite.Cases.Count);
            }
        );
        return [.. perCase.SelectMany(r => r)];
    }

    private static void WriteTable(
        TextWriter output,
        FixtureSuite suite,
        IEnumerable<string> engineNames,
        IReadOnlyList<CaseResult> results
    )
    {
        output.WriteLine();
        output.WriteLine($"suite {suite.Name} ({suite.Directory}): {suite.Cases.Count} cases");
        output.WriteLine(
            $"  {"engine", -16} {"passed", 7} {"failed", 7} {"unsupported", 12} {"worst error/bound", 18}"
        );
        foreach (string engine in engineNames)
        {
            var mine = results.Where(r => r.Engine == engine).ToList();
            var ratios = mine.Where(r => r.Verdict is not null).Select(r => r.Verdict!.WorstRatio).ToList();
            string worst = ratios.Count == 0 ? "-" : ratios.Max().ToString("G3", CultureInfo.InvariantCulture);
            output.WriteLine(
                $"  {engine, -16} {mine.Count(r => r.Outcome == CaseOutcome.Passed), 7} "
                    + $"{mine.Count(r => r.Outcome == CaseOutcome.Failed), 7} "
                    + $"{mine.Count(r => r.Outcome == CaseOutcome.Unsupported), 12} {worst, 18}"
            );
        }
        output.WriteLine();
    }
}
