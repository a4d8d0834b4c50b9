using System.Globalization;
using ConvParity.Judging;

namespace ConvParity.Explaining;

/// <summary>One convention tried against an observed answer.</summary>
/// <param name="Candidate">The convention, and the change it represents if it is a neighbour.</param>
/// <param name="Verdict">The observed answer judged against the convention's exact answer, under the float32
/// bound.</param>
/// <param name="RelativeError">||observed - convention||_2 / ||convention||_2 over the finite elements: how far,
/// normwise.</param>
public sealed record Trial(Candidate Candidate, Verdict Verdict, double RelativeError)
{
    /// <summary>The observed answer is this convention's within the bound, on every element (a sampled verdict
    /// never is a match: the convention was not run whole).</summary>
    public bool Matches => Verdict.Passed && !Sampled;

    /// <summary>Whether the verdict is on the probe's sampled positions only (a sampled miss is a miss; a sampled
    /// match was not run whole). <see cref="RelativeError"/> is then the largest |observed - exact| / S
    /// there.</summary>
    public bool Sampled { get; init; }

    /// <summary>The convention.</summary>
    public Hypothesis Hypothesis => Candidate.Hypothesis;

    /// <summary>"0.012 x bound" or, for a miss, "3.1e+05 x bound, normwise 42 %".</summary>
    public string Distance =>
        Verdict.Reason
        ?? (
            Matches
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"worst |difference| {Verdict.Worst?.Difference ?? 0:G3} = {Verdict.WorstRatio:G3} x bound"
                )
            : Sampled
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Verdict.Failures} of {Verdict.Elements} sampled elements beyond the bound, "
                        + $"worst {Verdict.WorstRatio:G3} x bound"
                )
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{Verdict.Failures} of {Verdict.Elements} elements beyond the bound, "
                    + $"worst {Verdict.WorstRatio:G3} x bound, normwise relative error {RelativeError:G3}"
            )
        );
}
