using ConvParity.Fixtures;

namespace ConvParity.Reporting;

/// <summary>
/// What one engine did on a group of cases (a suite, or every case of one call): counts, and the worst error / bound
/// with per-element and normwise (FFT reference) judgements apart, for their figures do not mean the same.
/// </summary>
/// <param name="Group">The suite's name, or the call's.</param>
/// <param name="Engine">The engine's name.</param>
/// <param name="Passed">Cases within the bound.</param>
/// <param name="Failed">Cases beyond it or not checkable.</param>
/// <param name="Unsupported">Cases whose call is not handled.</param>
/// <param name="WorstRatio">The largest error / bound among cases judged per element (null when none was).</param>
/// <param name="WorstTypicalRatio">Their largest error in units of sqrt(n)*u*S: a few is float32 quality.</param>
/// <param name="Normwise">Cases judged normwise: the reference computed its answer through an FFT.</param>
/// <param name="WorstNormwiseRatio">The largest error / normwise bound among them (null when there were none).</param>
public sealed record ResultTally(
    string Group,
    string Engine,
    int Passed,
    int Failed,
    int Unsupported,
    double? WorstRatio,
    double? WorstTypicalRatio,
    int Normwise,
    double? WorstNormwiseRatio
)
{
    /// <summary>Tallies <paramref name="results"/> (one engine's) as the row <paramref name="group"/>.</summary>
    public static ResultTally Of(string group, string engine, IEnumerable<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToList();
        var judged = list.Where(r => r.Verdict is not null).Select(r => r.Verdict!).ToList();
        var perElement = judged.Where(v => !v.Normwise).ToList();
        var normwise = judged.Where(v => v.Normwise).ToList();
        return new ResultTally(
            group,
            engine,
            list.Count(r => r.Outcome == CaseOutcome.Passed),
            list.Count(r => r.Outcome == CaseOutcome.Failed),
            list.Count(r => r.Outcome == CaseOutcome.Unsupported),
            perElement.Count == 0 ? null : perElement.Max(v => v.WorstRatio),
            perElement
                .Where(v => !double.IsNaN(v.WorstTypicalRatio))
                .Select(v => (double?)v.WorstTypicalRatio)
                .DefaultIfEmpty(null)
                .Max(),
            normwise.Count,
            normwise.Count == 0 ? null : normwise.Max(v => v.WorstRatio)
        );
    }
}
