using System.Globalization;
using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Problems;

namespace ConvParity.Tests;

/// <summary>
/// scipy.ndimage's plans: the anchor for each origin, the 1-D variants' axis, the origin's allowed range, and every
/// refusal by name. Each padding is what scipy 1.10.1 answered: correlate1d/convolve1d (mode='constant') of a unit
/// impulse at position p of zeros(9) with weights arange(1, n + 1) put the first correlation weight (weights[0] for
/// correlate, weights[-1] for convolve) at output p + padBefore. The allowed origins are those scipy took.
/// </summary>
public sealed class NdimageConventionTests
{
    private static ConvPlan Plan(string call, int[] input, int[] weights, string kwargs = "{}") =>
        ConventionRegistry.Plan(call, [input, weights], JsonNode.Parse(kwargs)!.AsObject());

    [TestCase("scipy.ndimage.correlate1d", 3, -1, 0)]
    [TestCase("scipy.ndimage.correlate1d", 3, 1, 2)]
    [TestCase("scipy.ndimage.correlate1d", 4, -2, 0)]
    [TestCase("scipy.ndimage.correlate1d", 4, 1, 3)]
    [TestCase("scipy.ndimage.convolve1d", 3, -1, 2)]
    [TestCase("scipy.ndimage.convolve1d", 3, 1, 0)]
    [TestCase("scipy.ndimage.convolve1d", 4, -2, 3)]
    [TestCase("scipy.ndimage.convolve1d", 4, 0, 1)]
    [TestCase("scipy.ndimage.convolve", 4, 1, 0)]
    [TestCase("scipy.ndimage.correlate", 4, 0, 2)]
    public void The_anchor_moves_with_the_origin(string call, int n, int origin, int before)
    {
        var plan = Plan(call, [9], [n], $$"""{"mode": "constant", "origin": {{origin}}}""");
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { before }));
        Assert.That(plan.Problem.PadAfter, Is.EqualTo(new[] { n - 1 - before }));
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 9 }));
        Assert.That(plan.Problem.Flip, Is.EqualTo(call.Contains("convolve", StringComparison.Ordinal)));
    }

    /// <summary>The origins scipy refused with "ValueError: Invalid origin; origin must satisfy -(len(weights) // 2)
    /// &lt;= origin &lt;= (len(weights)-1) // 2": correlate1d and convolve1d took -1..1 for 3 weights and -2..1 for
    /// 4.</summary>
    [TestCase("scipy.ndimage.correlate1d", 3, 2)]
    [TestCase("scipy.ndimage.correlate1d", 3, -2)]
    [TestCase("scipy.ndimage.convolve1d", 3, 2)]
    [TestCase("scipy.ndimage.convolve1d", 3, -2)]
    [TestCase("scipy.ndimage.convolve1d", 4, 2)]
    [TestCase("scipy.ndimage.convolve1d", 4, -3)]
    [TestCase("scipy.ndimage.convolve", 4, 2)]
    public void An_origin_outside_the_kernel_is_refused(string call, int n, int origin) =>
        Assert.That(
            () => Plan(call, [9], [n], $$"""{"origin": {{origin}}}"""),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Property(nameof(InvalidCallException.Keyword))
                .EqualTo("origin")
                .And.Message.EndWith($"{origin} on axis 0 is outside the range allowed for a kernel of extent {n}")
        );

    [TestCase("scipy.ndimage.convolve1d", 3, 1)]
    [TestCase("scipy.ndimage.convolve1d", 3, -1)]
    [TestCase("scipy.ndimage.convolve1d", 4, 1)]
    [TestCase("scipy.ndimage.convolve1d", 4, -2)]
    [TestCase("scipy.ndimage.correlate1d", 4, 1)]
    [TestCase("scipy.ndimage.correlate1d", 4, -2)]
    public void An_origin_at_the_kernel_s_edge_is_taken(string call, int n, int origin) =>
        Assert.That(() => Plan(call, [9], [n], $$"""{"origin": {{origin}}}"""), Throws.Nothing);

    [TestCase(0, new[] { 4, 1 }, 1, 2)]
    [TestCase(-2, new[] { 4, 1 }, 1, 2)]
    [TestCase(1, new[] { 4 }, 5, 1)]
    [TestCase(-1, new[] { 4 }, 5, 1)]
    public void A_one_d_filter_runs_along_its_axis(int axis, int[] kernel, int batch, int rank)
    {
        // scipy.ndimage.correlate1d(ones((5, 6)), ones(4), axis=..., origin=-2): shape (5, 6).
        var plan = Plan(
            "scipy.ndimage.correlate1d",
            [5, 6],
            [4],
            $$"""{"axis": {{axis}}, "origin": -2, "mode": "constant"}"""
        );
        Assert.That(plan.Problem.KernelSize, Is.EqualTo(kernel));
        Assert.That((plan.Problem.Batch, plan.Problem.Rank), Is.EqualTo((batch, rank)));
        Assert.That(plan.Problem.PadBefore[0], Is.EqualTo(0), "origin -2 on the filtered axis: 4//2 - 2");
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 5, 6 }));
        Assert.That(plan.Explanation, Does.Contain(axis is 0 or -2 ? "origin [-2, 0]" : "origin [0, -2]"));
    }

    [Test]
    public void A_one_d_filter_runs_along_the_last_axis_by_default()
    {
        // scipy.ndimage.correlate1d(x, arange(1, 5), mode='constant') with x = zeros((2, 5, 6)), x[1, 2, 3] = 1:
        // the weight 1 lands at [1, 2, 5]: the last axis, anchor 4//2.
        var plan = Plan("scipy.ndimage.correlate1d", [2, 5, 6], [4], """{"mode": "constant"}""");
        Assert.That(plan.Problem.KernelSize, Is.EqualTo(new[] { 4 }));
        Assert.That((plan.Problem.Batch, plan.Problem.PadBefore[0]), Is.EqualTo((10, 2)));
    }

    [TestCase(2)]
    [TestCase(-3)]
    public void An_axis_outside_the_input_is_refused(int axis) =>
        // scipy.ndimage.correlate1d(ones((3, 9)), ones(3), axis=...): AxisError: axis 2 (-3) is out of bounds for
        // array of dimension 2.
        Assert.That(
            () => Plan("scipy.ndimage.correlate1d", [3, 9], [3], $$"""{"axis": {{axis}}}"""),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo(
                    $"scipy.ndimage.correlate1d: argument 'axis': {axis} is out of range for a 2-D input"
                )
        );

    [Test]
    public void One_d_weights_only_for_the_one_d_filters() =>
        // scipy.ndimage.correlate1d(ones((3, 9)), ones((3, 1)), axis=1): RuntimeError: no filter weights given.
        Assert.That(
            () => Plan("scipy.ndimage.correlate1d", [3, 9], [3, 1], """{"axis": 1}"""),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo("scipy.ndimage.correlate1d: weights has shape [3, 1] (2-D); 1-D expected.")
        );

    [Test]
    public void Origins_per_axis()
    {
        // scipy.ndimage.correlate(ones((5, 6)), ones((3, 4)), origin=[1, -2]): shape (5, 6); anchors 3//2 + 1 and
        // 4//2 - 2 (the rule the impulse answers above show axis by axis).
        var plan = Plan("scipy.ndimage.correlate", [5, 6], [3, 4], """{"origin": [1, -2]}""");
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { 2, 0 }));
        Assert.That(plan.Problem.PadAfter, Is.EqualTo(new[] { 0, 3 }));
        // scipy.ndimage.correlate(ones((5, 6)), ones((3, 4)), origin=[1]): RuntimeError: sequence argument must have
        // length equal to input rank.
        Assert.That(
            () => Plan("scipy.ndimage.correlate", [5, 6], [3, 4], """{"origin": [1]}"""),
            Throws.TypeOf<InvalidCallException>().With.Property(nameof(InvalidCallException.Keyword)).EqualTo("origin")
        );
        Assert.That(
            () => Plan("scipy.ndimage.correlate", [5, 6], [3, 4], """{"origin": [0, 2]}"""),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EndWith("2 on axis 1 is outside the range allowed for a kernel of extent 4")
        );
    }

    [Test]
    public void Weights_of_another_rank_are_refused() =>
        // scipy.ndimage.correlate(ones((5, 5)), ones(3)): RuntimeError: filter weights array has incorrect shape.
        Assert.That(
            () => Plan("scipy.ndimage.correlate", [5, 5], [3]),
            Throws.TypeOf<InvalidCallException>().With.Message.Contain("same number of dimensions")
        );

    [Test]
    public void An_output_array_is_not_handled()
    {
        var refusal = Assert.Throws<UnsupportedCallException>(() =>
            Plan("scipy.ndimage.correlate", [9], [3], """{"output": "float64"}""")
        );
        Assert.That(refusal!.Argument, Is.EqualTo("output"));
        Assert.That(refusal.Message, Does.EndWith("only the default (an array of the input's dtype) is handled"));
    }

    [Test]
    public void The_defaults_are_reflect_with_the_kernel_centred()
    {
        var plan = Plan("scipy.ndimage.correlate", [9], [3]);
        Assert.That(plan.Problem.Boundary, Is.EqualTo(new Boundary(BoundaryKind.Reflect)));
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { 1 }));
        Assert.That(plan.Algorithm, Is.EqualTo(ReferenceAlgorithm.Direct));
        Assert.That(
            plan.Explanation,
            Is.EqualTo("correlation, centre n//2 + origin, origin [0], mode 'reflect' (Reflect), shape of input")
        );
    }

    [TestCase(-0.75f)]
    [TestCase(0f)]
    public void Constant_mode_reads_cval(float cval)
    {
        var plan = Plan(
            "scipy.ndimage.convolve",
            [9],
            [3],
            $$"""{"mode": "constant", "cval": {{cval.ToString(CultureInfo.InvariantCulture)}}}"""
        );
        Assert.That(plan.Problem.Boundary, Is.EqualTo(Boundary.Constant(cval)));
        Assert.That(
            plan.Explanation,
            Is.EqualTo(
                "true convolution (weights reversed), centre (n-1)//2 - origin, origin [0], mode 'constant' "
                    + $"({Boundary.Constant(cval)}), shape of input"
            )
        );
    }

    [Test]
    public void Plan_refuses_null_arguments()
    {
        var convention = new NdimageConvention();
        Assert.That(
            () => convention.Plan("scipy.ndimage.correlate", null!, new Kwargs("scipy.ndimage.correlate", null)),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("argShapes")
        );
        Assert.That(
            () =>
                convention.Plan(
                    "scipy.ndimage.correlate",
                    [
                        [9],
                        [3],
                    ],
                    null!
                ),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("kwargs")
        );
    }

    [TestCase(new[] { 5 }, new[] { 3, 3 })]
    [TestCase(new[] { 5, 5 }, new[] { 3 })]
    public void Weights_of_another_rank_are_refused_naming_both(int[] input, int[] weights)
    {
        // scipy 1.10.1: "RuntimeError: filter weights array has incorrect shape." for both.
        var refusal = Assert.Throws<InvalidCallException>(() => Plan("scipy.ndimage.correlate", input, weights));
        Assert.That(
            refusal!.Message,
            Is.EqualTo(
                $"scipy.ndimage.correlate: input [{string.Join(", ", input)}] and weights "
                    + $"[{string.Join(", ", weights)}] should have the same number of dimensions."
            )
        );
    }
}
