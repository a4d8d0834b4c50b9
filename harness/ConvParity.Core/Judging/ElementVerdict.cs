using System.Globalization;
using ConvParity.Tensors;

namespace ConvParity.Judging;

/// <summary>One element of a comparison: where, both values, how far apart, and the bound there.</summary>
/// <param name="Index">Multi-index in the library's result shape.</param>
/// <param name="Actual">The engine's value.</param>
/// <param name="Expected">The reference's value.</param>
/// <param name="Difference">|Actual - Expected|.</param>
/// <param name="Bound">The allowed difference at this element.</param>
/// <param name="Ratio">Difference / Bound (infinite for a NaN/Inf mismatch).</param>
public sealed record ElementVerdict(
    IReadOnlyList<int> Index,
    float Actual,
    float Expected,
    double Difference,
    double Bound,
    double Ratio
)
{
    /// <summary>The element's index in the result (copied).</summary>
    public IReadOnlyList<int> Index { get; } =
        Array.AsReadOnly(Index?.ToArray() ?? throw new ArgumentNullException(nameof(Index)));

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"[{Tensor.FormatShape(Index)}] actual {Actual:R} expected {Expected:R} |diff| {Difference:G3} "
                + $"bound {Bound:G3} ({Ratio:G3} x bound)"
        );
}
