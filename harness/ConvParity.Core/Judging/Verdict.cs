using System.Globalization;

namespace ConvParity.Judging;

/// <summary>The judge's answer for one engine on one case.</summary>
/// <param name="Passed">Every element within its bound and every NaN/Inf where the reference has it.</param>
/// <param name="Elements">Elements compared.</param>
/// <param name="Failures">Elements beyond their bound (NaN/Inf mismatches included).</param>
/// <param name="NonFiniteMismatches">Elements where NaN/Inf does not match the reference.</param>
/// <param name="Worst">The element with the largest ratio to its bound.</param>
/// <param name="WorstRatio">Its ratio: below 1 passes.</param>
/// <param name="WorstTypicalRatio">The largest error in units of sqrt(n)*u*S, the typical float32 error: a few means
/// float32 quality, hundreds mean reduced precision.</param>
/// <param name="BoundKind">Which bound applied.</param>
/// <param name="Reason">Why the comparison could not be made element by element, if it could not.</param>
public sealed record Verdict(
    bool Passed,
    int Elements,
    int Failures,
    int NonFiniteMismatches,
    ElementVerdict? Worst,
    double WorstRatio,
    double WorstTypicalRatio,
    string BoundKind,
    string? Reason
)
{
    /// <summary>A failed verdict that compared nothing (for example mismatched shapes).</summary>
    public static Verdict Mismatch(string reason, string boundKind) =>
        new(false, 0, 0, 0, null, double.PositiveInfinity, double.NaN, boundKind, reason);

    /// <summary>Elements not judged: the FFT reference is NaN/Inf there only because its transform spread a non-finite
    /// input.</summary>
    public int NotJudged { get; init; }

    /// <summary>
    /// Whether the bound was normwise: the reference computed its answer through an FFT (<c>method='fft'</c>,
    /// <c>fftconvolve</c>, <c>oaconvolve</c>), whose own error is spread over the whole output, so every element is
    /// held to one bound from the operands' norms, and the error in units of sqrt(n)*u*S measures the reference's
    /// transform as much as the engine.
    /// </summary>
    public bool Normwise { get; init; }

    /// <summary>For a failure: the neighbouring convention or precision that reproduces the answer, or why none
    /// does.</summary>
    public string? LikelyCause { get; init; }

    /// <summary>
    /// The precision the worst error corresponds to, in significand bits: float32 has 24, and an error of
    /// t x sqrt(n)*u*S is what about 24 - log2(t) bits give. Null when there was no error to measure.
    /// </summary>
    public double? EffectiveBits =>
        WorstTypicalRatio > 0 && double.IsFinite(WorstTypicalRatio)
            ? 24 - Math.Log2(Math.Max(1, WorstTypicalRatio))
            : null;

    /// <summary>
    /// The observed error against the typical float32 error, in words: "float32 quality" up to 16 x
    /// sqrt(n)*u*S (a few units is the norm), beyond that "below float32 quality" with its bits, which is
    /// how TF32-like or float16-input engines stand out even where the bound is loose.
    /// </summary>
    public string Quality =>
        EffectiveBits switch
        {
            null => "exact",
            _ when WorstTypicalRatio <= 16 => "float32 quality",
            < 1 => "no correct bits: wrong values, not rounding",
            var bits => string.Create(
                CultureInfo.InvariantCulture,
                $"below float32 quality (about {bits:F0} significand bits of 24)"
            ),
        };

    /// <inheritdoc />
    public override string ToString()
    {
        if (Reason is not null)
            return Reason;
        string summary = Passed
            ? "passed"
            : $"{Failures} of {Elements} elements beyond the bound"
                + (NonFiniteMismatches > 0 ? $" ({NonFiniteMismatches} NaN/Inf mismatches)" : "");
        string spread =
            NotJudged > 0 ? $"; {NotJudged} elements not judged (the FFT reference spread NaN/Inf over them)" : "";
        string cause = LikelyCause is null ? "" : $"; likely cause: {LikelyCause}";
        return Worst is null
            ? $"{summary}; exact{spread}"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{summary}; worst {Worst}; "
                    + $"{WorstTypicalRatio:G3} x sqrt(n)*u*S ({Quality}); {BoundKind}{spread}{cause}"
            );
    }
}
