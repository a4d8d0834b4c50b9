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
}
