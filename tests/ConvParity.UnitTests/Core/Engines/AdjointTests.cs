using ConvParity.Engines;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>
/// The two gradients are the adjoints of the forward map: &lt;A x, y&gt; = &lt;x, A^T y&gt; in x and in w,
/// on random problems of every kind. (A constant boundary makes the map affine in x; its linear part is
/// A x - A 0.)
/// </summary>
public sealed class AdjointTests
{
    private static readonly ReferenceEngine Engine = new();

    public static IEnumerable<TestCaseData> Problems() =>
        Enumerable
            .Range(0, 120)
            .Select(seed => new TestCaseData(seed).SetName($"Adjoint seed {seed}: {RandomProblems.Create(seed)}"));

    [TestCaseSource(nameof(Problems))]
    public void Gradients_are_adjoints_of_the_forward_map(int seed)
    {
        var p = RandomProblems.Create(seed);
        var x = RandomProblems.Tensor(p.InputShape, seed * 3 + 1);
        var w = RandomProblems.Tensor(p.WeightShape, seed * 3 + 2);
        var y = RandomProblems.Tensor(p.OutputShape, seed * 3 + 3);

        var forward = Engine.Forward(p, x, w);
        var affinePart = Engine.Forward(p, Tensor.Zeros(p.InputShape), w);
        var dx = Engine.GradInput(p, y, w);
        var dw = Engine.GradWeights(p, x, y);

        // The linear part A x - A 0 is taken in double, so only the engine's own roundings remain.
        AssertClose(
            Dot(forward, y) - Dot(affinePart, y),
            Dot(x, dx),
            Magnitude(forward, y) + Magnitude(affinePart, y) + Magnitude(x, dx),
            "<A x, y> vs <x, GradInput(y)>"
        );
        AssertClose(
            Dot(forward, y),
            Dot(w, dw),
            Magnitude(forward, y) + Magnitude(w, dw),
            "<A w, y> vs <w, GradWeights(y)>"
        );
    }

    /// <summary>
    /// The reference engine sums in double and rounds each result element to float32 once, so each
    /// element is off by at most u = 2^-24 of itself, and an inner product with it by at most u times
    /// the magnitude sum |a||b| (the double sums here add far less than one such rounding).
    /// </summary>
    private static void AssertClose(double a, double b, double magnitude, string what) =>
        Assert.That(Math.Abs(a - b), Is.LessThanOrEqualTo(UnitRoundoff * magnitude + 1e-30), $"{what}: {a} vs {b}");

    private const double UnitRoundoff = 1.0 / (1 << 24);

    private static double Dot(Tensor a, Tensor b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += (double)a.Span[i] * b.Span[i];
        return sum;
    }

    private static double Magnitude(Tensor a, Tensor b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += Math.Abs((double)a.Span[i] * b.Span[i]);
        return sum;
    }
}
