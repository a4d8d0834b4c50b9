using System.Globalization;

namespace ConvParity.Python.Generation;

/// <summary>How the values of a spec case's arrays are drawn (docs/case-spec.md).</summary>
/// <param name="Kind">normal, uniform, integers, nonfinite or wide.</param>
/// <param name="Low">The lower end (uniform, integers).</param>
/// <param name="High">The upper end (uniform, integers).</param>
/// <param name="Fraction">The share of NaN/Inf (nonfinite).</param>
public sealed record ValueKind(string Kind, double Low = 0, double High = 0, double Fraction = 0)
{
    /// <summary>The kind as the manifest's note and the fingerprint write it.</summary>
    public override string ToString() =>
        Kind switch
        {
            "uniform" or "integers" => $"{Kind} [{Num(Low)}, {Num(High)}]",
            "nonfinite" => $"nonfinite {Num(Fraction)}",
            _ => Kind,
        };

    /// <summary>Fills <paramref name="data"/> with values of this kind drawn from <paramref name="random"/>.</summary>
    public void Fill(Span<double> data, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = Kind switch
            {
                "uniform" => Low + (High - Low) * random.NextDouble(),
                "integers" => random.Next((int)Low, (int)High + 1),
                // Very large next to very small: a random sign times 10^e, e uniform in [-12, 12].
                "wide" => (random.Chance(0.5) ? -1 : 1) * Math.Pow(10, 24 * random.NextDouble() - 12),
                _ => CaseSketch.Normal(random),
            };
            if (Kind == "nonfinite" && random.Chance(Fraction))
                data[i] = random.Next(3) switch
                {
                    0 => double.NaN,
                    1 => double.PositiveInfinity,
                    _ => double.NegativeInfinity,
                };
        }
    }

    internal static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
