using ConvParity.Fixtures;

namespace ConvParity.Reporting;

/// <summary>One suite's results through every engine, in manifest order.</summary>
/// <param name="Suite">The suite.</param>
/// <param name="Results">One result per case and engine.</param>
public sealed record SuiteRun(FixtureSuite Suite, IReadOnlyList<CaseResult> Results)
{
    /// <summary>One row of the summary: a suite through one engine.</summary>
    /// <param name="Suite">The suite's name.</param>
    /// <param name="Engine">The engine's name.</param>
    /// <param name="Passed">Cases within the bound.</param>
    /// <param name="Failed">Cases beyond it or not checkable.</param>
    /// <param name="Unsupported">Cases whose call is not handled.</param>
    /// <param name="WorstRatio">The largest error / bound among judged cases (null when none was judged).</param>
    /// <param name="WorstTypicalRatio">The largest error in units of sqrt(n)*u*S.</param>
    public sealed record Row(
        string Suite,
        string Engine,
        int Passed,
        int Failed,
        int Unsupported,
        double? WorstRatio,
        double? WorstTypicalRatio
    );

    /// <summary>The summary rows, one per engine, in the order the engines ran.</summary>
    public IEnumerable<Row> Rows =>
        Results
            .GroupBy(r => r.Engine)
            .Select(g =>
            {
                var judged = g.Where(r => r.Verdict is not null).Select(r => r.Verdict!).ToList();
                return new Row(
                    Suite.Name,
                    g.Key,
                    g.Count(r => r.Outcome == CaseOutcome.Passed),
                    g.Count(r => r.Outcome == CaseOutcome.Failed),
                    g.Count(r => r.Outcome == CaseOutcome.Unsupported),
                    judged.Count == 0 ? null : judged.Max(v => v.WorstRatio),
                    judged
                        .Where(v => !double.IsNaN(v.WorstTypicalRatio))
                        .Select(v => (double?)v.WorstTypicalRatio)
                        .DefaultIfEmpty(null)
                        .Max()
                );
            });
}
