using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Judging;

/// <summary>
/// The float32 error bound of docs/error-bound.md, per element of one reference answer. For a direct sum of
/// n products, any correct float32 implementation lies within gamma_n * S of the exact value, with
/// S = sum |x||w| (the same plan applied to |x| and |w|); the library and the engine may each be
/// that far off, so they may differ by 2 * gamma_n * S, plus the final roundings (a few ulp).
/// FFT-based references add a normwise term (see FftTerm), and a NaN or Inf among their inputs
/// spreads over their whole output: those elements are reported as not judged, never as passed
/// or failed. When an answer fails, the judge looks for the likely cause among the neighbouring
/// conventions of the plan (see <see cref="Explaining.ConventionSearch"/>).
/// </summary>
public sealed class ErrorBound
{
    /// <summary>float32 unit roundoff, 2^-24.</summary>
    public const double UnitRoundoff = 1.0 / (1 << 24);

    private readonly double[] _bound,
        _typical;
    private readonly bool[]? _spreadByFft;
    private (ConvPlan Plan, Tensor First, Tensor Second, Tensor? Bias)? _origin;

    private ErrorBound(
        Tensor expected,
        double[] bound,
        double[] typical,
        bool[]? spreadByFft,
        long products,
        ReferenceAlgorithm algorithm
    )
    {
        Expected = expected;
        _bound = bound;
        _typical = typical;
        _spreadByFft = spreadByFft;
        Products = products;
        Algorithm = algorithm;
    }

    /// <summary>The reference answer the bound is for.</summary>
    public Tensor Expected { get; }

    /// <summary>n: products summed into one element (an upper bound).</summary>
    public long Products { get; }

    /// <summary>How the reference computed its answer: decides whether the bound is per element or normwise.</summary>
    public ReferenceAlgorithm Algorithm { get; }

    /// <summary>Whether the library saw more precise inputs than float32 (the bound allows for their
    /// rounding).</summary>
    public bool InputsRounded { get; private init; }

    /// <summary>Whether the bound is normwise: the reference computed its answer through an FFT.</summary>
    public bool IsNormwise => Algorithm == ReferenceAlgorithm.Fft;

    /// <summary>"per-element gamma_n" or "normwise (FFT reference)".</summary>
    public string Kind => IsNormwise ? "normwise (FFT reference)" : "per-element gamma_n";

    /// <summary>The allowed |actual - expected| at flat position <paramref name="i"/>.</summary>
    public double At(int i) => _bound[i];

    /// <summary>The typical float32 error at flat position <paramref name="i"/>: sqrt(n) * u * S.</summary>
    public double Typical(int i) => _typical[i];

    /// <summary>Whether the reference's NaN/Inf at <paramref name="i"/> comes only from an FFT spreading a non-finite
    /// input (not judged).</summary>
    public bool SpreadByFft(int i) => _spreadByFft?[i] ?? false;

    /// <summary>
    /// Computes the bound for <paramref name="plan"/> applied to the canonical operands, whose answer
    /// the library gave as <paramref name="expected"/> (already in the library's result shape).
    /// <paramref name="inputsRounded"/>: the library saw more precise inputs than float32. <paramref name="bias"/>:
    /// the canonical bias where the plan adds one (y = sum + b is one more rounding: S includes |b|, n counts it).
    /// </summary>
    public static ErrorBound For(
        ConvPlan plan,
        Tensor first,
        Tensor second,
        Tensor expected,
        bool inputsRounded = false,
        Tensor? bias = null
    )
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(expected);
        var magnitude = Magnitude(plan.Problem, plan.Operation, first, second, bias);
        double normwise = plan.Algorithm == ReferenceAlgorithm.Fft ? FftTerm(plan.Problem, first, second) : 0;
        bool nonFiniteInputs = !AllFinite(first) || !AllFinite(second) || bias is not null && !AllFinite(bias);
        var bound = FromMagnitude(
            expected,
            magnitude.Span,
            plan.Problem.ProductsPerResult(plan.Operation),
            plan.Algorithm,
            normwise,
            inputsRounded,
            nonFiniteInputs
        );
        bound._origin = (plan, first, second, bias);
        return bound;
    }

    /// <summary>S = sum |x||w| (+ |b|) per element of the result: the same problem run on |first|, |second| and
    /// |bias| (|constant| outside).</summary>
    internal static Tensor Magnitude(
        ConvProblem problem,
        ConvOperation operation,
        Tensor first,
        Tensor second,
        Tensor? bias = null
    )
    {
        var absProblem =
            problem.Boundary.Kind == BoundaryKind.Constant
                ? problem.WithBoundary(Boundary.Constant(Math.Abs(problem.Boundary.Value)))
                : problem;
        return new ReferenceEngine().Run(absProblem, operation, first.Abs(), second.Abs(), bias?.Abs());
    }

    /// <summary>The normwise FFT term for <paramref name="problem"/> and its canonical operands.</summary>
    internal static double Normwise(ConvProblem problem, Tensor first, Tensor second) =>
        FftTerm(problem, first, second);

    /// <summary>
    /// The bound from S per element (<paramref name="magnitude"/>, laid out like <paramref name="expected"/>), n, and
    /// the normwise term of an FFT reference. <paramref name="nonFiniteInputs"/>: some operand holds NaN or Inf
    /// (an FFT reference then spreads it over its whole output).
    /// </summary>
    internal static ErrorBound FromMagnitude(
        Tensor expected,
        ReadOnlySpan<float> magnitude,
        long products,
        ReferenceAlgorithm algorithm,
        double normwise,
        bool inputsRounded,
        bool nonFiniteInputs
    )
    {
        const double u = UnitRoundoff;
        long n = products;
        // Stryker disable once Equality : at n * u == 1 the quotient is 1 / 0, the same +infinity as the other arm
        double gamma = n * u < 1 ? n * u / (1 - n * u) : double.PositiveInfinity;
        double perS = 2 * gamma + (inputsRounded ? 2 * u : 0);

        var exp = expected.Span;
        var bound = new double[exp.Length];
        var typical = new double[exp.Length];
        bool[]? spread = algorithm == ReferenceAlgorithm.Fft && nonFiniteInputs ? new bool[exp.Length] : null;
        for (int i = 0; i < bound.Length; i++)
        {
            double s = magnitude[i];
            // Final roundings of both answers: 2 ulp of the reference, and a floor for subnormals.
            double rounding = 4 * u * Math.Abs(exp[i]) + 4 * float.Epsilon;
            bound[i] = double.IsFinite(s) ? perS * s + normwise + rounding : rounding;
            typical[i] = Math.Sqrt(n) * u * s;
            // A direct sum of these inputs is finite here (S is), so the reference's NaN/Inf came from the transform.
            if (spread is not null)
                spread[i] = double.IsFinite(s) && !float.IsFinite(exp[i]);
        }
        return new ErrorBound(expected, bound, typical, spread, n, algorithm) { InputsRounded = inputsRounded };
    }

    /// <summary>
    /// |actual - expected| / bound at flat position <paramref name="i"/> of an answer in the library's result shape:
    /// infinite for a NaN/Inf mismatch, 0 where NaN/Inf match, NaN where the element is not judged (an FFT
    /// reference spread a non-finite input there).
    /// </summary>
    public double RatioAt(ReadOnlySpan<float> actual, int i)
    {
        if (SpreadByFft(i))
            return double.NaN;
        float a = actual[i],
            e = Expected.Span[i];
        if (float.IsFinite(a) && float.IsFinite(e))
            return Math.Abs((double)a - e) / _bound[i];
        bool same = float.IsNaN(e) ? float.IsNaN(a) : a == e;
        return same ? 0 : double.PositiveInfinity;
    }

    /// <summary>Judges <paramref name="actual"/> (in the library's result shape) against the reference, and names the
    /// likely cause of a failure.</summary>
    public Verdict Judge(Tensor actual) => Judge(actual, findCause: true);

    /// <summary>
    /// Judges <paramref name="actual"/> (in the library's result shape) against the reference. With
    /// <paramref name="findCause"/>, a failure is compared with the neighbouring conventions of the plan
    /// (flip, anchor, pads, stride phase, layouts, reduced precision) and the verdict names the one that matches.
    /// </summary>
    public Verdict Judge(Tensor actual, bool findCause)
    {
        var verdict = Compare(actual);
        if (verdict.Passed || !findCause || _origin is not { } origin || verdict.Reason is not null)
            return verdict;
        // The neighbouring conventions differ in the sum, not in the bias: the search compares the answer less its
        // bias with the neighbours of the plan without one.
        var (plan, observed) = origin.Bias is { } bias
            ? (
                origin.Plan with
                {
                    Problem = origin.Plan.Problem.WithBias(false),
                },
                WithoutBias(origin.Plan, actual, bias)
            )
            : (origin.Plan, actual);
        return verdict with
        {
            LikelyCause = Explaining.ConventionSearch.LikelyCause(plan, origin.First, origin.Second, observed, verdict),
        };
    }

    /// <summary><paramref name="actual"/> (in the library's result shape) less the bias of each channel.</summary>
    private static Tensor WithoutBias(ConvPlan plan, Tensor actual, Tensor bias)
    {
        var negated = bias.Map(v => -v);
        var canonical = actual.Reshape(plan.Problem.ResultShape(plan.Operation));
        return plan.Result(ConvEngine.AddBias(plan.Problem, plan.Operation, canonical, negated));
    }

    private Verdict Compare(Tensor actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        if (!Tensor.SameShape(actual.Shape, Expected.Shape))
            return Verdict.Mismatch(
                $"result shape [{Tensor.FormatShape(actual.Shape)}] differs from the reference's "
                    + $"[{Tensor.FormatShape(Expected.Shape)}]",
                Kind
            ) with
            {
                Normwise = IsNormwise,
            };

        var a = actual.Span;
        var e = Expected.Span;
        int failures = 0,
            nonFinite = 0,
            notJudged = 0;
        int worst = -1;
        double worstRatio = 0,
            worstTypical = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double ratio;
            if (SpreadByFft(i))
            {
                notJudged++;
                continue;
            }
            if (!float.IsFinite(e[i]) || !float.IsFinite(a[i]))
            {
                // NaN and Inf positions must match exactly: same class, same sign of infinity.
                bool same = float.IsNaN(e[i]) ? float.IsNaN(a[i]) : a[i] == e[i];
                if (same)
                    continue;
                nonFinite++;
                ratio = double.PositiveInfinity;
            }
            else
            {
                double difference = Math.Abs((double)a[i] - e[i]);
                ratio = difference / _bound[i];
                if (_typical[i] > 0)
                    worstTypical = Math.Max(worstTypical, difference / _typical[i]);
            }
            if (ratio > 1)
                failures++;
            if (worst < 0 || ratio > worstRatio)
                (worst, worstRatio) = (i, ratio);
        }

        if (worst < 0)
            return new Verdict(true, a.Length, 0, 0, null, 0, worstTypical, Kind, null)
            {
                NotJudged = notJudged,
                Normwise = IsNormwise,
            };
        var element = new ElementVerdict(
            Expected.IndexOf(worst),
            a[worst],
            e[worst],
            Math.Abs((double)a[worst] - e[worst]),
            _bound[worst],
            worstRatio
        );
        return new Verdict(failures == 0, a.Length, failures, nonFinite, element, worstRatio, worstTypical, Kind, null)
        {
            NotJudged = notJudged,
            Normwise = IsNormwise,
        };
    }

    /// <summary>Whether every element is finite.</summary>
    internal static bool AllFinite(Tensor t)
    {
        foreach (float v in t.Span)
            if (!float.IsFinite(v))
                return false;
        return true;
    }

    /// <summary>
    /// The normwise FFT term. Every coefficient of a float32 FFT of v is off by at most about
    /// log2(L) * u * ||v||_1, which carries through the product and the inverse transform to
    /// ||error||_2 &lt;= C * log2(L) * u * min(||x||_2 ||w||_1, ||x||_1 ||w||_2) for the whole output;
    /// every element is held to that. C = 4 leaves room for the twiddle-factor errors.
    /// </summary>
    private static double FftTerm(ConvProblem p, Tensor first, Tensor second)
    {
        const double c = 4;
        double length = Enumerable
            .Range(0, p.Rank)
            .Aggregate((double)p.Batch, (l, a) => l * (p.InputSize[a] + p.KernelSize[a]));
        double norms = Math.Min(Norm(first, 2) * Norm(second, 1), Norm(first, 1) * Norm(second, 2));
        return c * Math.Max(1, Math.Log2(length)) * UnitRoundoff * norms;
    }

    private static double Norm(Tensor t, int order)
    {
        double sum = 0;
        foreach (float v in t.Span)
            sum += order == 1 ? Math.Abs(v) : (double)v * v;
        return order == 1 ? sum : Math.Sqrt(sum);
    }
}
