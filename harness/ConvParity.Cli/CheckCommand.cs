using System.Diagnostics;
using System.Globalization;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Gpu;

namespace ConvParity.Cli;

/// <summary><c>convparity check</c>: replays fixture suites through engines under the judge.</summary>
public static class CheckCommand
{
    /// <summary>The parsed arguments of <c>check</c>.</summary>
    /// <param name="Suites">Suite folders, in the order given.</param>
    /// <param name="Engines">Engine names, in the order given.</param>
    /// <param name="Accelerator">The gpu engine's accelerator from --accelerator; null when not given.</param>
    /// <param name="MaxCaseBytes">The cap on one case's arrays from --max-case-bytes (<see cref="CaseLimits"/>).</param>
    public sealed record Options(IReadOnlyList<string> Suites, IReadOnlyList<string> Engines, AcceleratorKind? Accelerator = null,
        long MaxCaseBytes = CaseLimits.DefaultMaxCaseBytes)
    {
        /// <summary>Parses <c>--fixtures DIR [DIR...] [--engine NAME]... [--accelerator cuda|opencl|cpu]</c>.</summary>
        /// <exception cref="UsageException">Missing or unknown options or values.</exception>
        public static Options Parse(string[] args, EngineCatalog catalog)
        {
            ArgumentNullException.ThrowIfNull(args);
            ArgumentNullException.ThrowIfNull(catalog);
            var suites = new List<string>();
            var engines = new List<string>();
            var accelerators = new List<string>();
            var caps = new List<string>();
            List<string>? target = null;
            string? awaiting = null; // an option that takes exactly one value, not yet given
            foreach (string arg in args)
            {
                if (awaiting is not null && arg.StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"check: {awaiting} needs a value before {arg}");
                switch (arg)
                {
                    case "--fixtures": target = suites; break;
                    case "--engine": (target, awaiting) = (engines, arg); break;
                    case "--accelerator": (target, awaiting) = (accelerators, arg); break;
                    case CaseLimits.Option: (target, awaiting) = (caps, arg); break;
                    case var option when option.StartsWith("--", StringComparison.Ordinal):
                        throw new UsageException($"check: unknown option '{option}'");
                    default:
                        if (target is null) throw new UsageException($"check: '{arg}' is not preceded by --fixtures, --engine or --accelerator");
                        target.Add(arg);
                        if (awaiting is not null) (target, awaiting) = (null, null); // --engine and --accelerator take one value
                        break;
                }
            }
            if (awaiting is not null) throw new UsageException($"check: {awaiting} needs a value");
            if (suites.Count == 0) throw new UsageException("check: --fixtures needs at least one suite folder");
            foreach (string engine in engines)
                if (!catalog.Names.Contains(engine))
                    throw new UsageException($"check: no engine is called '{engine}' (engines: {string.Join(", ", catalog.Names)})");
            if (accelerators.Count > 1) throw new UsageException($"check: --accelerator is given {accelerators.Count} times ({string.Join(", ", accelerators)}); give it once");
            AcceleratorKind? accelerator;
            try { accelerator = accelerators.Count == 0 ? null : Accelerators.Parse(accelerators[0], "--accelerator"); }
            catch (ArgumentException e) { throw new UsageException($"check: {e.Message}"); }
            long cap;
            try { cap = caps.Count == 0 ? CaseLimits.DefaultMaxCaseBytes : CaseLimits.ParseBytes(caps[^1]); }
            catch (ArgumentException e) { throw new UsageException($"check: {e.Message}"); }
            return new Options(suites, engines.Count == 0 ? catalog.Names : engines.Distinct().ToList(), accelerator, cap);
        }
    }

    /// <summary>Runs the check and prints the failing cases, a table per suite and the closing count line.</summary>
    public static int Run(Options options, EngineCatalog catalog, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);

        if (LoadSuites(options.Suites, "check", errors, options.MaxCaseBytes) is not { } suites) return ExitCodes.BadArguments;
        if (CreateEngines(options.Engines, catalog, "check", errors) is not { } engines) return ExitCodes.BadArguments;

        var all = new List<CaseResult>();
        foreach (var suite in suites)
        {
            var clock = Stopwatch.StartNew();
            // A live counter on a terminal; a plain line per suite in logs.
            Action<int, int>? progress = Console.IsErrorRedirected ? null : (done, total) => errors.Write($"\r{suite.Name}: {done}/{total} cases");
            var results = Check(suite, engines, progress);
            errors.WriteLine($"{(progress is null ? "" : "\r")}{suite.Name}: {suite.Cases.Count} cases x {engines.Count} engine(s) in {clock.Elapsed.TotalSeconds:F1} s");
            WriteProblems(output, results);
            WriteTable(output, suite, engines.Select(e => e.Name), results);
            all.AddRange(results);
        }
        return Close(output, all);
    }

    /// <summary>Reads every manifest first, so an unreadable suite stops the run before any work; null (and the reason on <paramref name="errors"/>) when one is unreadable.</summary>
    public static List<FixtureSuite>? LoadSuites(IEnumerable<string> folders, string command, TextWriter errors,
        long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes)
    {
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(errors);
        var suites = new List<FixtureSuite>();
        foreach (string folder in folders)
        {
            try { suites.Add(FixtureSuite.Load(folder, maxCaseBytes)); }
            catch (FixtureException e)
            {
                errors.WriteLine($"convparity {command}: unreadable suite: {e.Message}");
                return null;
            }
        }
        return suites;
    }

    /// <summary>One line per failing or unsupported result.</summary>
    public static void WriteProblems(TextWriter output, IEnumerable<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(results);
        foreach (var r in results.Where(r => r.Outcome != CaseOutcome.Passed))
            output.WriteLine($"{(r.Outcome == CaseOutcome.Failed ? "FAILED" : "UNSUPPORTED")} {r.CaseId} [{r.Engine}]: {r.Message}");
    }

    /// <summary>Writes the closing line "N passed, N failed, N unsupported" and returns the exit code it means.</summary>
    public static int Close(TextWriter output, IReadOnlyCollection<CaseResult> all)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(all);
        int passed = all.Count(r => r.Outcome == CaseOutcome.Passed);
        int failed = all.Count(r => r.Outcome == CaseOutcome.Failed);
        int unsupported = all.Count(r => r.Outcome == CaseOutcome.Unsupported);
        output.WriteLine($"{passed} passed, {failed} failed, {unsupported} unsupported");
        return failed > 0 ? ExitCodes.Failed : unsupported > 0 ? ExitCodes.Unsupported : ExitCodes.Passed;
    }

    /// <summary>Creates the named engines; an engine that cannot start (a missing accelerator) is reported and yields null.</summary>
    public static List<IConvEngine>? CreateEngines(IEnumerable<string> names, EngineCatalog catalog, string command, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(errors);
        var engines = new List<IConvEngine>();
        foreach (string name in names)
        {
            try { engines.Add(catalog.Create(name)); }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                errors.WriteLine($"convparity {command}: engine '{name}' is unavailable: {e.Message}");
                return null;
            }
            if (engines[^1] is GpuEngine gpu) errors.WriteLine($"engine {name} runs on {gpu.Device}");
        }
        return engines;
    }

    /// <summary>Every case of <paramref name="suite"/> through every engine, cases in parallel, results in manifest order.</summary>
    public static IReadOnlyList<CaseResult> Check(FixtureSuite suite, IReadOnlyList<IConvEngine> engines, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(engines);
        int done = 0;
        var perCase = new CaseResult[suite.Cases.Count][];
        Parallel.For(0, suite.Cases.Count, i =>
        {
            using (FixtureCheck.Turn(suite, suite.Cases[i]))
                perCase[i] = [.. engines.Select(FixtureCheck.Prepare(suite, suite.Cases[i]).Run)];
            int finished = Interlocked.Increment(ref done);
            if (finished % 25 == 0) progress?.Invoke(finished, suite.Cases.Count);
        });
        return [.. perCase.SelectMany(r => r)];
    }

    private static void WriteTable(TextWriter output, FixtureSuite suite, IEnumerable<string> engineNames, IReadOnlyList<CaseResult> results)
    {
        output.WriteLine();
        output.WriteLine($"suite {suite.Name} ({suite.Directory}): {suite.Cases.Count} cases");
        output.WriteLine($"  {"engine",-16} {"passed",7} {"failed",7} {"unsupported",12} {"worst error/bound",18}");
        foreach (string engine in engineNames)
        {
            var mine = results.Where(r => r.Engine == engine).ToList();
            var ratios = mine.Where(r => r.Verdict is not null).Select(r => r.Verdict!.WorstRatio).ToList();
            string worst = ratios.Count == 0 ? "-" : ratios.Max().ToString("G3", CultureInfo.InvariantCulture);
            output.WriteLine($"  {engine,-16} {mine.Count(r => r.Outcome == CaseOutcome.Passed),7} {mine.Count(r => r.Outcome == CaseOutcome.Failed),7} " +
                             $"{mine.Count(r => r.Outcome == CaseOutcome.Unsupported),12} {worst,18}");
        }
        output.WriteLine();
    }
}
