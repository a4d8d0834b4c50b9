using ConvParity.Engines;
using ConvParity.Fixtures;

namespace ConvParity.Reporting;

/// <summary>
/// What the report shows, chosen once for report.html and report.md: the summary per suite and engine, the tally
/// per call, the failing cases (the worst first, every one with its own section, the worst of each suite drawn),
/// and the passes nearest their bound that are not exact.
/// </summary>
/// <param name="Runs">Every suite's run.</param>
/// <param name="Engines">The engines' names in the order they ran.</param>
/// <param name="Failing">Every case some engine failed: per suite, the worst first.</param>
/// <param name="Unsupported">Results whose call is not handled.</param>
/// <param name="Nearest">Per suite, the passes nearest their bound with a nonzero error.</param>
/// <param name="Drawings">The pictures, by the case's anchor.</param>
internal sealed record ReportContent(
    IReadOnlyList<SuiteRun> Runs,
    IReadOnlyList<string> Engines,
    IReadOnlyList<CaseGroup> Failing,
    IReadOnlyList<CaseResult> Unsupported,
    IReadOnlyList<CaseGroup> Nearest,
    IReadOnlyDictionary<string, CaseDrawing> Drawings
)
{
    /// <summary>Failing cases drawn per suite (the worst first); the others get their section without
    /// pictures.</summary>
    public const int FailuresDrawn = 8;

    /// <summary>Passing cases shown per suite: those nearest their bound, exact ones left out.</summary>
    public const int NearestShown = 3;

    /// <summary>Each engine's colour in every figure.</summary>
    public IReadOnlyDictionary<string, string> Colors =>
        Engines.Select((e, i) => (e, SvgFigure.Palette[i % SvgFigure.Palette.Length])).ToDictionary();

    /// <summary>The tally per call and engine, calls in order of first appearance.</summary>
    public IEnumerable<(string Call, IReadOnlyList<ResultTally> Rows)> ByCall =>
        Runs.SelectMany(r => r.Results)
            .GroupBy(r => r.Call)
            .Select(call =>
                (
                    call.Key,
                    (IReadOnlyList<ResultTally>)
                        [.. call.GroupBy(r => r.Engine).Select(e => ResultTally.Of(call.Key, e.Key, e))]
                )
            );

    /// <summary>Chooses the cases and draws them, re-running <paramref name="engines"/> on the drawn ones.</summary>
    public static ReportContent Build(IReadOnlyList<SuiteRun> runs, IReadOnlyList<IConvEngine> engines)
    {
        var groups = CaseGroup.Of(runs);
        var failing = groups
            .Where(g => g.Failed)
            .GroupBy(g => g.Run)
            .SelectMany(s => s.OrderByDescending(g => g.WorstRatio))
            .ToList();
        var nearest = groups
            .Where(g => g.Passed && g.WorstRatio > 0)
            .GroupBy(g => g.Run)
            .SelectMany(s => s.OrderByDescending(g => g.WorstRatio).Take(NearestShown))
            .ToList();
        var names = runs.SelectMany(r => r.Results).Select(r => r.Engine).Distinct().ToList();
        var content = new ReportContent(
            runs,
            names,
            failing,
            [.. runs.SelectMany(r => r.Results).Where(r => r.Outcome == CaseOutcome.Unsupported)],
            nearest,
            new Dictionary<string, CaseDrawing>()
        );
        var colors = content.Colors;
        var drawn = failing
            .GroupBy(g => g.Run)
            .SelectMany(s => s.Take(FailuresDrawn))
            .Concat(nearest)
            .ToDictionary(g => g.Anchor, g => CaseDrawing.Draw(g, engines, colors));
        return content with { Drawings = drawn };
    }

    /// <summary>The call with its kwargs, as the library was asked.</summary>
    public static string CallText(FixtureCase c) =>
        $"{c.Call}({string.Join(", ", c.Args.Append(c.Kwargs.ToJsonString()).Where(a => a is not "{}"))})";

    /// <summary>The error / bound of the cases each engine had judged in <paramref name="run"/>.</summary>
    public IReadOnlyList<(string Name, string Color, double[] Ratios)> Distribution(SuiteRun run) =>
        [
            .. run
                .Results.GroupBy(r => r.Engine)
                .Select(g =>
                    (
                        g.Key,
                        Colors[g.Key],
                        g.Where(r => r.Verdict is not null).Select(r => r.Verdict!.WorstRatio).ToArray()
                    )
                ),
        ];
}
