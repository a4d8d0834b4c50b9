using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Explaining;
using ConvParity.Judging;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>The bound's rules beyond gamma_n: FFT references and non-finite inputs, and the precision a verdict
/// reports.</summary>
public sealed class ErrorBoundTests
{
    private static (ConvPlan Plan, Tensor A, Tensor V) Plan(string call, JsonObject kwargs)
    {
        var a = new Tensor(new float[] { 1, 2, float.NaN, 4, 5, 6, 7, 8 }, 8);
        var v = new Tensor(new float[] { 0.5f, -1, 0.25f }, 3);
        var plan = ConventionRegistry.Plan(
            call,
            [
                [8],
                [3],
            ],
            kwargs
        );
        return (plan, a, v);
    }

    [Test]
    public void Where_an_FFT_reference_spread_a_NaN_the_elements_are_not_judged()
    {
        var (plan, a, v) = Plan("scipy.signal.fftconvolve", new JsonObject { ["mode"] = "full" });
        var direct = new ReferenceEngine().Forward(
            plan.Problem,
            a.Reshape(plan.OperandShapes.First),
            v.Reshape(plan.OperandShapes.Second)
        );
        // An FFT turns one NaN input into NaN everywhere: what fftconvolve returns for this input.
        var spread = direct.Map(_ => float.NaN).Reshape([.. plan.ResultShape]);
        var bound = ErrorBound.For(
            plan,
            a.Reshape(plan.OperandShapes.First),
            v.Reshape(plan.OperandShapes.Second),
            spread
        );

        var verdict = bound.Judge(direct.Reshape([.. plan.ResultShape]));

        Assert.That(verdict.Passed, Is.True, verdict.ToString());
        Assert.That(verdict.NotJudged, Is.EqualTo(7), "10 outputs, 3 of them touch the NaN");
        Assert.That(
            verdict.ToString(),
            Does.Contain("7 elements not judged (the FFT reference spread NaN/Inf over them)")
        );
        Assert.That(verdict.BoundKind, Is.EqualTo("normwise (FFT reference)"));
        Assert.That(verdict.Normwise, Is.True, "the verdict says it was judged normwise");

        // An answer that loses the NaN where the direct sum has it fails, and still says how it was judged.
        var lost = bound.Judge(direct.Map(x => float.IsNaN(x) ? 0 : x).Reshape([.. plan.ResultShape]), false);
        Assert.That(lost.Passed, Is.False, lost.ToString());
        Assert.That((lost.NotJudged, lost.Normwise, lost.NonFiniteMismatches), Is.EqualTo((7, true, 3)));
    }

    [Test]
    public void A_NaN_in_the_second_operand_spreads_through_an_FFT_reference_too()
    {
        var (plan, a, v) = Plan("scipy.signal.fftconvolve", new JsonObject { ["mode"] = "full" });
        var (first, second) = (
            a.Map(x => float.IsNaN(x) ? 3 : x).Reshape(plan.OperandShapes.First),
            v.Map(x => x == -1 ? float.NaN : x).Reshape(plan.OperandShapes.Second)
        );
        var direct = new ReferenceEngine().Forward(plan.Problem, first, second).Reshape([.. plan.ResultShape]);
        var bound = ErrorBound.For(plan, first, second, direct.Map(_ => float.NaN));

        var verdict = bound.Judge(direct, findCause: false);

        // The middle tap is NaN: every output but the first and the last reads it.
        Assert.That(verdict.Passed, Is.True, verdict.ToString());
        Assert.That(verdict.NotJudged, Is.EqualTo(2));
    }

    [Test]
    public void An_FFT_reference_s_NaN_from_finite_inputs_is_judged_not_excused()
    {
        var (plan, a, v) = Plan("scipy.signal.fftconvolve", new JsonObject { ["mode"] = "full" });
        var (first, second) = (
            a.Map(x => float.IsNaN(x) ? 3 : x).Reshape(plan.OperandShapes.First),
            v.Reshape(plan.OperandShapes.Second)
        );
        var direct = new ReferenceEngine().Forward(plan.Problem, first, second).Reshape([.. plan.ResultShape]);
        var broken = direct.Map(x => x);
        broken.Span[4] = float.NaN;

        var verdict = ErrorBound.For(plan, first, second, broken).Judge(direct, findCause: false);

        Assert.That(verdict.Passed, Is.False, verdict.ToString());
        Assert.That((verdict.NotJudged, verdict.NonFiniteMismatches), Is.EqualTo((0, 1)));
    }

    [Test]
    public void A_direct_reference_holds_NaN_positions_exactly()
    {
        var (plan, a, v) = Plan("scipy.signal.convolve", new JsonObject { ["mode"] = "full", ["method"] = "direct" });
        var (first, second) = (a.Reshape(plan.OperandShapes.First), v.Reshape(plan.OperandShapes.Second));
        var expected = new ReferenceEngine().Forward(plan.Problem, first, second).Reshape([.. plan.ResultShape]);
        var bound = ErrorBound.For(plan, first, second, expected);

        var verdict = bound.Judge(expected.Map(_ => float.NaN));

        Assert.That(verdict.Passed, Is.False);
        Assert.That(verdict.NonFiniteMismatches, Is.EqualTo(7));
        Assert.That(verdict.Normwise, Is.False, "a direct reference is judged per element");
        Assert.That(verdict.LikelyCause, Does.StartWith("NaN/Inf where the reference has none"));
    }

    [Test]
    public void Reduced_precision_reports_its_effective_bits()
    {
        var (plan, a, v) = Plan("scipy.signal.correlate", new JsonObject { ["mode"] = "valid", ["method"] = "direct" });
        var finite = a.Map(x => float.IsNaN(x) ? 3.3f : x * 1.0123457f);
        var (first, second) = (finite.Reshape(plan.OperandShapes.First), v.Reshape(plan.OperandShapes.Second));
        var engine = new ReferenceEngine();
        var expected = plan.Result(engine.Forward(plan.Problem, first, second));
        var tf32 = plan.Result(
            engine.Forward(plan.Problem, first.Map(x => Rounding.Apply(OperandRounding.Tf32, x)), second)
        );

        var verdict = ErrorBound.For(plan, first, second, expected).Judge(tf32);

        Assert.That(verdict.Passed, Is.False, verdict.ToString());
        Assert.That(verdict.Quality, Does.StartWith("below float32 quality (about "));
        Assert.That(verdict.EffectiveBits, Is.InRange(9.0, 16.0));
        Assert.That(verdict.LikelyCause, Does.Contain("operands rounded to TF32"));
    }

    [Test]
    public void Each_element_is_held_to_its_own_S_not_to_the_largest()
    {
        // Large values in the middle, tiny ones at the edges: the first and last 'full' outputs see only
        // tiny products, so their S is about 1e-8 of the middle's. An error there that the middle's
        // bound would forgive is an edge bug, and must fail.
        var a = new Tensor(new float[] { 1e-4f, 1000, -2000, 3000, 1e-4f }, 5);
        var v = new Tensor(new float[] { 0.5f, -1, 0.25f }, 3);
        var plan = ConventionRegistry.Plan(
            "numpy.convolve",
            [
                [5],
                [3],
            ],
            new JsonObject { ["mode"] = "full" }
        );
        var (first, second) = (a.Reshape(plan.OperandShapes.First), v.Reshape(plan.OperandShapes.Second));
        var expected = plan.Result(new ReferenceEngine().Forward(plan.Problem, first, second));
        var bound = ErrorBound.For(plan, first, second, expected);
        int last = expected.Length - 1;
        double largest = Enumerable.Range(0, expected.Length).Max(bound.At);
        Assert.That(bound.At(0), Is.LessThan(largest * 1e-6), "the edge's bound is its own, not the middle's");

        var edgeWrong = expected.Map(x => x);
        edgeWrong.Span[last] += (float)(largest / 4);
        var verdict = bound.Judge(edgeWrong, findCause: false);

        Assert.That(verdict.Passed, Is.False, verdict.ToString());
        Assert.That(verdict.Failures, Is.EqualTo(1));
        Assert.That(verdict.Worst!.Index, Is.EqualTo(new[] { last }));
    }

    [TestCase(float.NaN, 0f)]
    [TestCase(float.NaN, float.PositiveInfinity)]
    [TestCase(float.PositiveInfinity, float.NaN)]
    [TestCase(float.PositiveInfinity, float.NegativeInfinity)]
    [TestCase(float.NegativeInfinity, float.MaxValue)]
    public void A_lost_or_changed_NaN_or_Inf_fails(float reference, float actual)
    {
        var (plan, a, v) = Plan("scipy.signal.convolve", new JsonObject { ["mode"] = "full", ["method"] = "direct" });
        var (first, second) = (a.Reshape(plan.OperandShapes.First), v.Reshape(plan.OperandShapes.Second));
        var expected = new ReferenceEngine().Forward(plan.Problem, first, second).Reshape([.. plan.ResultShape]);
        // The reference's element 0 does not touch the NaN input: its non-finite value is the library's own.
        expected.Span[0] = reference;
        var bound = ErrorBound.For(plan, first, second, expected);
        var answer = expected.Map(x => x);
        answer.Span[0] = actual;

        var verdict = bound.Judge(answer, findCause: false);

        Assert.That(verdict.Passed, Is.False, verdict.ToString());
        Assert.That(verdict.NonFiniteMismatches, Is.EqualTo(1));
        Assert.That(
            bound.Judge(expected, findCause: false).Passed,
            Is.True,
            "the same value where the reference has it passes"
        );
    }

    [Test]
    public void One_NaN_in_an_otherwise_exact_answer_fails()
    {
        var a = new Tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 6);
        var v = new Tensor(new float[] { 0.5f, -1, 0.25f }, 3);
        var plan = ConventionRegistry.Plan(
            "numpy.correlate",
            [
                [6],
                [3],
            ],
            new JsonObject { ["mode"] = "valid" }
        );
        var (first, second) = (a.Reshape(plan.OperandShapes.First), v.Reshape(plan.OperandShapes.Second));
        var expected = plan.Result(new ReferenceEngine().Forward(plan.Problem, first, second));
        var answer = expected.Map(x => x);
        answer.Span[2] = float.NaN;

        var verdict = ErrorBound.For(plan, first, second, expected).Judge(answer, findCause: false);

        Assert.That(verdict.Passed, Is.False, verdict.ToString());
        Assert.That((verdict.Failures, verdict.NonFiniteMismatches), Is.EqualTo((1, 1)));
        Assert.That(verdict.Worst!.Index, Is.EqualTo(new[] { 2 }));
    }

    private static readonly float[] X = [1, -2, 3, -4, 5];
    private static readonly float[] W = [0.5f, -1, 0.25f];

    /// <summary>The bound of docs/error-bound.md for one element: 2 gamma_n S + 4 u |reference| + 4 float.Epsilon,
    /// plus 2 u S when the library saw more precise inputs, plus the normwise term of an FFT reference.</summary>
    private static double Documented(long n, double s, float reference, bool inputsRounded = false, double fft = 0)
    {
        const double u = ErrorBound.UnitRoundoff;
        double gamma = n * u / (1 - n * u);
        return 2 * gamma * s + (inputsRounded ? 2 * u * s : 0) + fft + 4 * u * Math.Abs(reference) + 4 * float.Epsilon;
    }

    /// <summary>Plans <paramref name="call"/> on <see cref="X"/> and <see cref="W"/> and gives its bound, its reference
    /// answer and the bound again with <c>inputsRounded</c>.</summary>
    /// <summary>
    /// A 1-D <paramref name="call"/> with <paramref name="mode"/> over <paramref name="a"/> and <paramref name="v"/>:
    /// its plan, operands, the reference engine's answer and that answer's bound.
    /// </summary>
    private static (ConvPlan Plan, Tensor First, Tensor Second, Tensor Expected, ErrorBound Bound) OneDimensional(
        string call,
        string mode,
        float[] a,
        float[] v
    ) => OneDimensional(call, new JsonObject { ["mode"] = mode }, a, v);

    private static (ConvPlan Plan, Tensor First, Tensor Second, Tensor Expected, ErrorBound Bound) OneDimensional(
        string call,
        JsonObject kwargs,
        float[] a,
        float[] v
    )
    {
        var plan = ConventionRegistry.Plan(
            call,
            [
                [a.Length],
                [v.Length],
            ],
            kwargs
        );
        var first = new Tensor(a, a.Length).Reshape(plan.OperandShapes.First);
        var second = new Tensor(v, v.Length).Reshape(plan.OperandShapes.Second);
        var expected = plan.Result(new ReferenceEngine().Forward(plan.Problem, first, second));
        return (plan, first, second, expected, ErrorBound.For(plan, first, second, expected));
    }

    private static (ErrorBound Bound, ErrorBound Rounded, Tensor Expected) BoundOf(string call, JsonObject kwargs)
    {
        var (plan, first, second, expected, bound) = OneDimensional(call, kwargs, X, W);
        return (bound, ErrorBound.For(plan, first, second, expected, inputsRounded: true), expected);
    }

    [Test]
    public void Each_element_s_bound_is_the_documented_one_with_S_summed_by_hand()
    {
        var (bound, rounded, expected) = BoundOf("numpy.correlate", new JsonObject { ["mode"] = "valid" });

        Assert.That((bound.Products, bound.Kind, bound.InputsRounded), Is.EqualTo((3L, "per-element gamma_n", false)));
        Assert.That(rounded.InputsRounded, Is.True);
        for (int i = 0; i < expected.Length; i++)
        {
            // correlate 'valid': element i sums x[i + j] w[j].
            double s = Enumerable.Range(0, W.Length).Sum(j => Math.Abs(X[i + j]) * Math.Abs(W[j]));
            float e = expected.Span[i];
            Assert.That(bound.At(i), Is.EqualTo(Documented(3, s, e)).Within(1e-9).Percent, $"element {i}");
            Assert.That(rounded.At(i), Is.EqualTo(Documented(3, s, e, inputsRounded: true)).Within(1e-9).Percent);
            Assert.That(bound.Typical(i), Is.EqualTo(Math.Sqrt(3) * ErrorBound.UnitRoundoff * s).Within(1e-9).Percent);
            Assert.That(bound.SpreadByFft(i), Is.False);
        }
    }

    [Test]
    public void An_FFT_reference_adds_the_documented_normwise_term_to_every_element()
    {
        var (bound, _, expected) = BoundOf("scipy.signal.fftconvolve", new JsonObject { ["mode"] = "full" });
        // L = 5 + 3 = 8, so log2(L) = 3; ||x||_2 ||w||_1 = sqrt(55) * 1.75 is below
        // ||x||_1 ||w||_2 = 15 * sqrt(1.3125).
        double fft = 4 * 3 * ErrorBound.UnitRoundoff * Math.Sqrt(55) * 1.75;

        Assert.That(bound.Kind, Is.EqualTo("normwise (FFT reference)"));
        for (int i = 0; i < expected.Length; i++)
        {
            // convolve 'full': element i sums x[i - j] w[j] over the j that land inside x.
            double s = Enumerable
                .Range(0, W.Length)
                .Where(j => i - j >= 0 && i - j < X.Length)
                .Sum(j => Math.Abs(X[i - j]) * Math.Abs(W[j]));
            Assert.That(bound.At(i), Is.EqualTo(Documented(3, s, expected.Span[i], fft: fft)).Within(1e-9).Percent);
        }
    }

    [Test]
    public void A_negative_constant_outside_the_input_counts_in_S_by_its_magnitude()
    {
        var (bound, _, expected) = BoundOf(
            "scipy.ndimage.correlate1d",
            new JsonObject { ["mode"] = "constant", ["cval"] = -2.0 }
        );
        // ndimage centres the 3 taps: element i reads x[i - 1 + j], and |cval| = 2 outside.
        for (int i = 0; i < expected.Length; i++)
        {
            double s = Enumerable
                .Range(0, W.Length)
                .Sum(j => (i - 1 + j is var k && k >= 0 && k < X.Length ? Math.Abs(X[k]) : 2) * Math.Abs(W[j]));
            Assert.That(bound.At(i), Is.EqualTo(Documented(3, s, expected.Span[i])).Within(1e-9).Percent);
        }
    }

    [Test]
    public void A_subnormal_difference_where_S_is_zero_passes_and_measures_no_error()
    {
        // The first 'full' element of correlating [0, 0, 1] with [1, 1] reads only the leading 0: S is zero there,
        // and a difference of one subnormal is within the bound's floor and has no typical error to measure.
        var (_, _, _, expected, bound) = OneDimensional("numpy.correlate", "full", [0, 0, 1], [1, 1]);
        Assert.That((expected.Span[0], bound.Typical(0)), Is.EqualTo((0f, 0.0)), "S is zero at element 0");
        Assert.That(bound.At(0), Is.EqualTo(4.0 * float.Epsilon), "the floor alone: 4 float.Epsilon");
        var answer = expected.Map(x => x);
        answer.Span[0] = float.Epsilon;

        var verdict = bound.Judge(answer, findCause: false);

        Assert.That(verdict.Passed, Is.True, verdict.ToString());
        Assert.That(verdict.WorstTypicalRatio, Is.Zero);
        Assert.That(verdict.Quality, Is.EqualTo("exact"));
    }

    [Test]
    public void The_likely_cause_names_the_call_in_the_plans_own_library()
    {
        // torch conv2d on 9x9 with a 3x3 kernel and stride 3: padding 0 and padding 1 both give 3x3, so an engine
        // that pads by one answers in the right shape; the cause should be said as the torch call it computed.
        var kwargs = new JsonObject
        {
            ["stride"] = 3,
            ["padding"] = 0,
            ["dilation"] = 1,
            ["groups"] = 1,
        };
        var plan = ConventionRegistry.Plan(
            "torch.nn.functional.conv2d",
            [
                [1, 1, 9, 9],
                [1, 1, 3, 3],
            ],
            kwargs
        );
        var padded = ConventionRegistry.Plan(
            "torch.nn.functional.conv2d",
            [
                [1, 1, 9, 9],
                [1, 1, 3, 3],
            ],
            new JsonObject
            {
                ["stride"] = 3,
                ["padding"] = 1,
                ["dilation"] = 1,
                ["groups"] = 1,
            }
        );
        var x = RandomProblems.Uniform([1, 1, 9, 9], new Random(5));
        var w = RandomProblems.Uniform([1, 1, 3, 3], new Random(6));
        var engine = new ReferenceEngine();
        var expected = plan.Result(engine.Forward(plan.Problem, x, w));
        var wrong = padded.Result(engine.Forward(padded.Problem, x, w));

        var verdict = ErrorBound.For(plan, x, w, expected).Judge(wrong);

        Assert.That(verdict.Passed, Is.False, verdict.ToString());
        Assert.That(verdict.LikelyCause, Does.Contain("in torch's words: torch.nn.functional.conv2d("));
        Assert.That(verdict.LikelyCause, Does.Contain("padding=(1, 1)"));
    }

    [Test]
    public void A_pass_names_no_cause_and_a_failure_reports_its_largest_wrong_element()
    {
        var (plan, a, v) = Plan("numpy.convolve", new JsonObject { ["mode"] = "full" });
        var x = a.Map(e => float.IsNaN(e) ? 3 : e);
        var (first, second) = (x.Reshape(plan.OperandShapes.First), v.Reshape(plan.OperandShapes.Second));
        var expected = plan.Result(new ReferenceEngine().Forward(plan.Problem, first, second));
        var bound = ErrorBound.For(plan, first, second, expected);

        var pass = bound.Judge(expected);
        // Two wrong elements, the second far further off for its bound: the verdict reports that one, by index and
        // exact difference.
        var wrong = expected.Map(e => e);
        wrong.Span[1] += (float)(3 * bound.At(1));
        wrong.Span[6] -= (float)(1000 * bound.At(6));
        var fail = bound.Judge(wrong);

        Assert.That(pass.Passed, Is.True, pass.ToString());
        Assert.That(pass.LikelyCause, Is.Null);
        Assert.That(fail.Passed, Is.False);
        Assert.That(fail.Failures, Is.EqualTo(2));
        Assert.That(fail.Worst!.Index, Is.EqualTo(new[] { 6 }).AsCollection);
        Assert.That(fail.WorstRatio, Is.InRange(900, 1100));
        Assert.That(fail.Worst.Difference, Is.EqualTo(Math.Abs((double)wrong.Span[6] - expected.Span[6])));
        Assert.That(fail.LikelyCause, Is.Not.Null);
    }

    [Test]
    public void Every_missing_argument_is_named()
    {
        var (plan, a, v) = Plan("numpy.convolve", new JsonObject { ["mode"] = "full" });
        var (first, second) = (a.Reshape(plan.OperandShapes.First), v.Reshape(plan.OperandShapes.Second));
        var expected = plan.Result(new ReferenceEngine().Forward(plan.Problem, first, second));

        Assert.Multiple(() =>
        {
            Assert.That(
                () => ErrorBound.For(null!, first, second, expected),
                Throws.ArgumentNullException.With.Property("ParamName").EqualTo("plan")
            );
            Assert.That(
                () => ErrorBound.For(plan, null!, second, expected),
                Throws.ArgumentNullException.With.Property("ParamName").EqualTo("first")
            );
            Assert.That(
                () => ErrorBound.For(plan, first, null!, expected),
                Throws.ArgumentNullException.With.Property("ParamName").EqualTo("second")
            );
            Assert.That(
                () => ErrorBound.For(plan, first, second, null!),
                Throws.ArgumentNullException.With.Property("ParamName").EqualTo("expected")
            );
        });
    }

    [Test]
    public void An_FFT_reference_s_normwise_term_takes_the_smaller_product_of_norms_either_way()
    {
        // x spiky and w flat: ||x||_1 ||w||_2 = 5 sqrt(3) is below ||x||_2 ||w||_1 = 15; L = 8, log2(L) = 3.
        var (_, _, _, expected, bound) = OneDimensional("scipy.signal.fftconvolve", "full", [5, 0, 0, 0, 0], [1, 1, 1]);
        double fft = 4 * 3 * ErrorBound.UnitRoundoff * 5 * Math.Sqrt(3);

        for (int i = 0; i < expected.Length; i++)
        {
            double s = i < 3 ? 5 : 0;
            Assert.That(bound.At(i), Is.EqualTo(Documented(3, s, expected.Span[i], fft: fft)).Within(1e-9).Percent);
        }
    }

    [Test]
    public void A_boundary_that_reads_the_input_outside_it_counts_those_terms_in_S()
    {
        // ndimage's 'reflect' reads x[-1] = x[0] and x[5] = x[4] at the edges: S includes them, as it would for a
        // constant, but by the input's own values.
        var (bound, _, expected) = BoundOf("scipy.ndimage.correlate1d", new JsonObject { ["mode"] = "reflect" });
        for (int i = 0; i < expected.Length; i++)
        {
            double s = Enumerable
                .Range(0, W.Length)
                .Sum(j => Math.Abs(X[Math.Clamp(i - 1 + j, 0, X.Length - 1)]) * Math.Abs(W[j]));
            Assert.That(bound.At(i), Is.EqualTo(Documented(3, s, expected.Span[i])).Within(1e-9).Percent);
        }
    }

    [Test]
    public void Where_S_overflows_float32_the_element_is_held_to_the_final_roundings_not_forgiven()
    {
        // 3e38 * 1e10 - 3e38 * 1e10 is exactly 0 in double; S = 6e48 is no float32. An answer of 1 is wrong.
        var (_, _, _, expected, bound) = OneDimensional("numpy.correlate", "valid", [3e38f, 3e38f], [1e10f, -1e10f]);

        var verdict = bound.Judge(expected.Map(_ => 1f), findCause: false);

        Assert.That(expected.Span[0], Is.Zero);
        Assert.That(bound.At(0), Is.EqualTo(4.0 * float.Epsilon));
        Assert.That(verdict.Passed, Is.False, verdict.ToString());
    }

    [Test]
    public void An_element_exactly_at_its_bound_passes_and_one_subnormal_more_fails()
    {
        // Where S and the reference are zero the bound is 4 float.Epsilon, exactly representable: the bound is
        // inclusive.
        var (_, first, _, expected, bound) = OneDimensional("numpy.correlate", "full", [0, 0, 1], [1, 1]);
        var (at, beyond) = (expected.Map(x => x), expected.Map(x => x));
        at.Span[0] = 4 * float.Epsilon;
        beyond.Span[0] = 5 * float.Epsilon;

        var atVerdict = bound.Judge(at, findCause: false);
        var beyondVerdict = bound.Judge(beyond, findCause: false);

        Assert.That((atVerdict.Passed, atVerdict.Failures, atVerdict.WorstRatio), Is.EqualTo((true, 0, 1.0)));
        Assert.That((beyondVerdict.Passed, beyondVerdict.Failures), Is.EqualTo((false, 1)));
        Assert.That(beyondVerdict.Worst!.Index, Is.EqualTo(new[] { 0 }), "the worst element is the first one");
    }

    [Test]
    public void An_exact_answer_of_one_element_passes()
    {
        var (_, _, _, expected, bound) = OneDimensional("numpy.correlate", "valid", [1, 2, 3], [1, 1, 1]);

        var verdict = bound.Judge(expected);

        Assert.That(expected.Span[0], Is.EqualTo(6f));
        Assert.That((verdict.Passed, verdict.Elements, verdict.WorstRatio), Is.EqualTo((true, 1, 0.0)));
    }

    [Test]
    public void An_answer_of_another_shape_fails_with_both_shapes_and_no_answer_is_refused_by_name()
    {
        var (bound, _, expected) = BoundOf("numpy.correlate", new JsonObject { ["mode"] = "valid" });

        var verdict = bound.Judge(Tensor.Zeros(expected.Length + 1));

        Assert.That(verdict.Passed, Is.False);
        Assert.That(verdict.Reason, Is.EqualTo("result shape [4] differs from the reference's [3]"));
        Assert.That(verdict.BoundKind, Is.EqualTo("per-element gamma_n"));
        Assert.That(
            () => bound.Judge(null!),
            Throws.ArgumentNullException.With.Property("ParamName").EqualTo("actual")
        );
    }

    [Test]
    public void The_ratio_at_an_element_is_its_difference_over_its_bound_infinite_for_a_NaN_mismatch()
    {
        var (bound, _, expected) = BoundOf("numpy.correlate", new JsonObject { ["mode"] = "valid" });
        var answer = expected.Map(x => x);
        answer.Span[0] += 1;
        answer.Span[1] = float.NaN;

        Assert.That(
            bound.RatioAt(answer.Span, 0),
            Is.EqualTo(Math.Abs((double)answer.Span[0] - expected.Span[0]) / bound.At(0))
        );
        Assert.That(bound.RatioAt(answer.Span, 1), Is.EqualTo(double.PositiveInfinity));
        Assert.That(bound.RatioAt(answer.Span, 2), Is.Zero);
        Assert.That(bound.RatioAt(expected.Span, 0), Is.Zero);
    }

    [Test]
    public void The_ratio_is_zero_where_NaN_or_Inf_match_and_NaN_where_an_FFT_spread_it()
    {
        var (plan, a, v) = Plan("scipy.signal.fftconvolve", new JsonObject { ["mode"] = "full" });
        var (first, second) = (a.Reshape(plan.OperandShapes.First), v.Reshape(plan.OperandShapes.Second));
        var direct = new ReferenceEngine().Forward(plan.Problem, first, second).Reshape([.. plan.ResultShape]);
        var bound = ErrorBound.For(plan, first, second, direct.Map(_ => float.NaN));
        // Elements 2 to 4 read the NaN input: judged, NaN against NaN; the others only spread by the transform.
        var answer = direct.Map(x => x);
        answer.Span[3] = float.PositiveInfinity;

        Assert.That(bound.RatioAt(answer.Span, 2), Is.Zero);
        Assert.That(bound.RatioAt(answer.Span, 3), Is.EqualTo(double.PositiveInfinity));
        Assert.That(bound.RatioAt(answer.Span, 0), Is.NaN);
    }

    [Test]
    public void The_likely_cause_of_a_biased_answer_is_found_on_the_sum_without_its_bias()
    {
        // As without a bias: torch conv2d with stride 3 answered as if padded by one, now with a bias of 5 and -7.
        JsonObject Kwargs(int padding) =>
            new()
            {
                ["stride"] = 3,
                ["padding"] = padding,
                ["dilation"] = 1,
                ["groups"] = 1,
            };
        int[][] shapes =
        [
            [1, 1, 9, 9],
            [2, 1, 3, 3],
            [2],
        ];
        var plan = ConventionRegistry.Plan("torch.nn.functional.conv2d", shapes, Kwargs(0));
        var padded = ConventionRegistry.Plan("torch.nn.functional.conv2d", shapes, Kwargs(1));
        var x = RandomProblems.Uniform([1, 1, 9, 9], new Random(5));
        var w = RandomProblems.Uniform([2, 1, 3, 3], new Random(6));
        var b = new Tensor(new float[] { 5, -7 }, 2);
        var engine = new ReferenceEngine();
        var expected = plan.Result(engine.Forward(plan.Problem, x, w, b));
        var wrong = padded.Result(engine.Forward(padded.Problem, x, w, b));

        var verdict = ErrorBound.For(plan, x, w, expected, bias: b).Judge(wrong);

        Assert.That(verdict.Passed, Is.False, verdict.ToString());
        Assert.That(verdict.LikelyCause, Does.Contain("padding=(1, 1)"));
    }
}
