using System.Globalization;
using ConvParity.Fixtures;

namespace ConvParity.Reporting;

/// <summary>The words and numbers report.html and report.md share, written once.</summary>
internal static class ReportText
{
    /// <summary>What error / bound means.</summary>
    public const string Bound =
        "Each engine's answer is judged against the library's under the float32 error bound (docs/error-bound.md): "
        + "error / bound is the worst element's |actual - expected| over the bound there; below 1 passes, and a "
        + "correct float32 engine can never exceed it, whatever its summation order.";

    /// <summary>What the error in units of sqrt(n) u S means.</summary>
    public const string Typical =
        "Error / (sqrt(n) u S) is the same error in units of the typical rounding error of a direct float32 sum "
        + "(n products, u = 2^-24, S = sum |x||w|): a few units is float32 quality, hundreds or more mean reduced "
        + "precision. It is shown for the cases judged per element only.";

    /// <summary>Why normwise judgements have their own columns.</summary>
    public const string Normwise =
        "Normwise (FFT) columns: where the library computed its answer through an FFT (method='fft', fftconvolve, "
        + "oaconvolve), its own error is spread over the whole output, so every element is held to one normwise bound "
        + "from the operands' norms. Such a case's error in units of sqrt(n) u S measures the library's transform as "
        + "much as the engine (it reads hundreds even for an exact engine), so those cases are counted apart, with "
        + "their worst error / normwise bound only.";

    /// <summary>A ratio in three significant digits, or "-" when there is none.</summary>
    public static string Number(double? value) => value is { } v ? v.ToString("G3", CultureInfo.InvariantCulture) : "-";

    /// <summary>The cells of a tally after its label: passed, failed, unsupported, per-element worst and typical, and
    /// the normwise cases with their worst.</summary>
    public static string[] Cells(ResultTally row) =>
        [
            row.Passed.ToString(CultureInfo.InvariantCulture),
            row.Failed.ToString(CultureInfo.InvariantCulture),
            row.Unsupported.ToString(CultureInfo.InvariantCulture),
            Number(row.WorstRatio),
            Number(row.WorstTypicalRatio),
            row.Normwise.ToString(CultureInfo.InvariantCulture),
            Number(row.WorstNormwiseRatio),
        ];

    /// <summary>The headers of <see cref="Cells"/>.</summary>
    public static readonly string[] TallyHeaders =
    [
        "passed",
        "failed",
        "unsupported",
        "worst error / bound",
        "worst error / (sqrt(n) u S)",
        "normwise (FFT) cases",
        "worst normwise error / bound",
    ];

    /// <summary>The headers of <see cref="VerdictCells"/>.</summary>
    public static readonly string[] VerdictHeaders =
    [
        "engine",
        "outcome",
        "error / bound",
        "judged",
        "error / (sqrt(n) u S)",
        "worst element",
        "likely cause, or why",
    ];

    /// <summary>One engine's verdict on a case, in cells.</summary>
    public static string[] VerdictCells(CaseResult r)
    {
        var v = r.Verdict;
        string typical =
            v is null ? "-"
            : v.Normwise ? "- (normwise)"
            : $"{Number(v.WorstTypicalRatio)} ({v.Quality})";
        string worst = v?.Worst is { } w
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"[{string.Join(", ", w.Index)}]: actual {w.Actual:R}, expected {w.Expected:R}"
            )
            : "-";
        string why = r.Outcome == CaseOutcome.Passed ? "" : v?.LikelyCause ?? v?.Reason ?? (v is null ? r.Message : "");
        return
        [
            r.Engine,
            r.Outcome.ToString(),
            v is null ? "-" : Number(v.WorstRatio),
            v is null ? "-"
            : v.Normwise ? "normwise (FFT reference)"
            : "per element",
            typical,
            worst,
            why,
        ];
    }
}
