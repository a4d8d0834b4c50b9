using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Problems;
using ConvParity.Tensors;
using NUnit.Framework.Constraints;

namespace ConvParity.Tests;

/// <summary>
/// scipy.signal's plans where the committed fixtures leave a rule unpinned: the method's error bound, the boundary
/// of convolve2d/correlate2d in 'valid' mode, fftconvolve/oaconvolve's 'axes' (broadcast axes as groups and banks,
/// and each refusal by name), and the explanations. Each shape or refusal below is what scipy 1.10.1 (the version
/// the fixtures were generated with) answered for the same call on arrays of ones, as the comment says.
/// </summary>
public sealed class ScipySignalConventionTests
{
    private static ConvPlan Plan(string call, int[] in1, int[] in2, string kwargs = "{}") =>
        ConventionRegistry.Plan(call, [in1, in2], JsonNode.Parse(kwargs)!.AsObject());

    private static IResolveConstraint Refused<T>(string argument, string message)
        where T : Exception => Throws.TypeOf<T>().With.Message.EqualTo(message).And.Message.Contain(argument);

    [TestCase("scipy.signal.convolve", "direct", ReferenceAlgorithm.Direct)]
    [TestCase("scipy.signal.correlate", "fft", ReferenceAlgorithm.Fft)]
    [TestCase("scipy.signal.correlate", "auto", ReferenceAlgorithm.Fft)]
    public void The_method_decides_the_error_bound(string call, string method, ReferenceAlgorithm algorithm) =>
        Assert.That(Plan(call, [9], [4], $$"""{"method": "{{method}}"}""").Algorithm, Is.EqualTo(algorithm));

    [Test]
    public void Without_a_method_scipy_picks_at_run_time_so_the_fft_bound_applies()
    {
        var plan = Plan("scipy.signal.convolve", [9], [4]);
        Assert.That(plan.Algorithm, Is.EqualTo(ReferenceAlgorithm.Fft));
        Assert.That(plan.Explanation, Is.EqualTo("true convolution (in2 reversed), mode 'full', method 'auto'"));
    }

    [Test]
    public void Direct_two_d_calls_are_judged_per_element()
    {
        Assert.That(Plan("scipy.signal.convolve2d", [5, 5], [3, 3]).Algorithm, Is.EqualTo(ReferenceAlgorithm.Direct));
        Assert.That(Plan("scipy.signal.oaconvolve", [9], [4]).Algorithm, Is.EqualTo(ReferenceAlgorithm.Fft));
    }

    [TestCase("wrap", BoundaryKind.Wrap, 0f)]
    [TestCase("symm", BoundaryKind.Reflect, 0f)]
    [TestCase("fill", BoundaryKind.Constant, 1.5f)]
    public void Two_d_boundaries(string boundary, BoundaryKind kind, float value)
    {
        var json = $$"""{"mode": "same", "boundary": "{{boundary}}", "fillvalue": 1.5}""";
        var plan = Plan("scipy.signal.correlate2d", [5, 6], [3, 2], json);
        Assert.That(plan.Problem.Boundary, Is.EqualTo(new Boundary(kind, value)));
    }

    [TestCase("wrap")]
    [TestCase("symm")]
    [TestCase("fill")]
    public void Valid_mode_reads_no_boundary(string boundary) =>
        Assert.That(
            Plan(
                "scipy.signal.convolve2d",
                [5, 6],
                [3, 2],
                $$"""{"mode": "valid", "boundary": "{{boundary}}", "fillvalue": 1.5}"""
            ).Problem.Boundary,
            Is.EqualTo(Boundary.Zero)
        );

    [Test]
    public void Two_d_calls_take_two_d_arrays_only()
    {
        // scipy.signal.convolve2d(ones(5), ones((2, 2))): ValueError: convolve2d inputs must both be 2-D arrays
        Assert.That(
            () => Plan("scipy.signal.convolve2d", [5], [2, 2]),
            Refused<InvalidCallException>("in1", "scipy.signal.convolve2d: in1 has shape [5] (1-D); 2-D expected.")
        );
        Assert.That(
            () => Plan("scipy.signal.correlate2d", [5, 5], [2, 2, 1]),
            Refused<InvalidCallException>(
                "in2",
                "scipy.signal.correlate2d: in2 has shape [2, 2, 1] (3-D); 2-D expected."
            )
        );
    }

    [Test]
    public void Explanations_name_the_flip_the_mode_the_anchor_and_the_method()
    {
        Assert.That(
            Plan("scipy.signal.correlate", [9], [4], """{"mode": "same", "method": "direct"}""").Explanation,
            Is.EqualTo(
                "correlation (in2 not reversed), mode 'same', shape of in1, anchor n//2 of the correlation, "
                    + "method 'direct'"
            )
        );
        Assert.That(
            Plan("scipy.signal.correlate2d", [5, 5], [2, 2], """{"mode": "same"}""").Explanation,
            Is.EqualTo(
                "correlation (in2 not reversed), mode 'same', shape of in1, anchor (n-1)//2, boundary 'fill' "
                    + "fillvalue 0"
            )
        );
        Assert.That(
            Plan("scipy.signal.convolve2d", [5, 5], [2, 2], """{"boundary": "wrap"}""").Explanation,
            Is.EqualTo("true convolution (in2 reversed), mode 'full', boundary 'wrap'")
        );
        Assert.That(
            Plan("scipy.signal.fftconvolve", [9], [4], """{"mode": "valid"}""").Explanation,
            Is.EqualTo("true convolution (in2 reversed), mode 'valid', FFT")
        );
    }

    [Test]
    public void Fftconvolve_valid_drops_axes_where_an_array_has_extent_one_without_axes_too()
    {
        // scipy.signal.fftconvolve(a, b, 'valid') with a = [[1], [2], [3], [4]], b = [[1, 2, 3], [4, 5, 6]]
        // answers [[6, 9, 12], [11, 16, 21], [16, 23, 30]] (oaconvolve the same): scipy leaves axes of extent 1
        // to broadcasting before it checks the 'valid' sizes, whether 'axes' is given or not.
        float[] expected = [6, 9, 12, 11, 16, 21, 16, 23, 30];
        foreach (string call in new[] { "scipy.signal.fftconvolve", "scipy.signal.oaconvolve" })
        {
            var plan = Plan(call, [4, 1], [2, 3], """{"mode": "valid"}""");
            Assert.That(plan.ResultShape, Is.EqualTo(new[] { 3, 3 }));
            var (x, w) = plan.Operands(
                new Tensor(new float[] { 1, 2, 3, 4 }, 4, 1),
                new Tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3),
                "in1",
                "in2"
            );
            var answer = plan.Result(new ReferenceEngine().Forward(plan.Problem, x, w));
            Assert.That(answer.Span.ToArray(), Is.EqualTo(expected), call);
        }
        // scipy.signal.correlate(ones((4, 1)), ones((2, 3)), 'valid'): ValueError: For 'valid' mode, one must be at
        // least as large as the other in every dimension (only the FFT functions drop those axes).
        Assert.That(
            () => Plan("scipy.signal.correlate", [4, 1], [2, 3], """{"mode": "valid"}"""),
            Throws.InstanceOf<InvalidCallException>().With.Message.Contain("in every dimension")
        );
    }

    [Test]
    public void Valid_with_axes_checks_the_convolved_axes_only()
    {
        // scipy.signal.fftconvolve(ones((4, 1)), ones((2, 3)), 'valid', axes=[0, 1]): shape (3, 3).
        Assert.That(
            Plan("scipy.signal.fftconvolve", [4, 1], [2, 3], """{"mode": "valid", "axes": [0, 1]}""").ResultShape,
            Is.EqualTo(new[] { 3, 3 })
        );
        // scipy.signal.fftconvolve(ones((2, 8, 3)), ones((1, 3, 5)), 'valid', axes=[1, 2]): ValueError: For 'valid'
        // mode, one must be at least as large as the other in every dimension.
        Assert.That(
            () => Plan("scipy.signal.fftconvolve", [2, 8, 3], [1, 3, 5], """{"mode": "valid", "axes": [1, 2]}"""),
            Throws
                .InstanceOf<InvalidCallException>()
                .With.Message.EqualTo(
                    "scipy.signal.fftconvolve: in 'valid' mode one of in1 [2, 8, 3] and in2 [1, 3, 5] must be at "
                        + "least as large as the other in every convolved dimension."
                )
        );
    }

    [Test]
    public void Axes_on_arrays_of_different_ranks_are_refused_as_scipy_does()
    {
        // scipy.signal.fftconvolve(ones((4, 5)), ones(3), 'valid', axes=[1]): ValueError: in1 and in2 should have
        // the same dimensionality.
        foreach (string mode in new[] { "valid", "full" })
            Assert.That(
                () => Plan("scipy.signal.fftconvolve", [4, 5], [3], $$"""{"mode": "{{mode}}", "axes": [1]}"""),
                Throws.InstanceOf<InvalidCallException>().With.Message.Contain("same number of dimensions"),
                mode
            );
    }

    [TestCase(new[] { 5, 3 }, new[] { 3, 3 })]
    [TestCase(new[] { 3, 3 }, new[] { 5, 3 })]
    public void Valid_takes_arrays_of_equal_extent_in_some_axes(int[] in1, int[] in2) =>
        // scipy.signal.correlate(ones((5, 3)), ones((3, 3)), 'valid') and the two swapped: shape (3, 1).
        Assert.That(
            Plan("scipy.signal.correlate", in1, in2, """{"mode": "valid"}""").ResultShape,
            Is.EqualTo(new[] { 3, 1 })
        );

    [Test]
    public void Only_valid_needs_one_array_larger_in_every_axis() =>
        // scipy.signal.correlate(ones((5, 3)), ones((3, 5))): shape (7, 7).
        Assert.That(Plan("scipy.signal.correlate", [5, 3], [3, 5]).ResultShape, Is.EqualTo(new[] { 7, 7 }));

    [Test]
    public void A_trailing_axis_of_extent_one_in_both_arrays_is_not_broadcast()
    {
        // scipy.signal.fftconvolve(ones((3, 8, 1)), ones((3, 3, 1)), axes=[1]): shape (3, 10, 1).
        var plan = Plan("scipy.signal.fftconvolve", [3, 8, 1], [3, 3, 1], """{"axes": [1]}""");
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 3, 10, 1 }));
        Assert.That((plan.Problem.Groups, plan.Problem.Rank), Is.EqualTo((3, 2)));
    }

    [TestCase("[]", "ValueError: when provided, axes cannot be empty")]
    [TestCase("[2]", "[2] is out of range for 2-D arrays")]
    [TestCase("[-3]", "[-3] is out of range for 2-D arrays")]
    [TestCase("[1, -1]", "[1, -1]: all axes must be unique")]
    public void Axes_scipy_refuses(string axes, string why)
    {
        // scipy.signal.fftconvolve(ones((3, 4)), ones((3, 2)), axes=...): ValueError ("when provided, axes cannot be
        // empty"; "axes exceeds dimensionality of input" for [2] and [-3]; "all axes must be unique").
        Assert.That(
            () => Plan("scipy.signal.fftconvolve", [3, 4], [3, 2], $$"""{"axes": {{axes}}}"""),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo($"scipy.signal.fftconvolve: argument 'axes': {why}")
        );
    }

    [Test]
    public void Axes_in_range_are_taken_from_either_end()
    {
        // scipy.signal.fftconvolve(ones((3, 4)), ones((3, 2)), axes=[-2, 1]) and axes=[0, -1]: shape (5, 5).
        Assert.That(
            Plan("scipy.signal.fftconvolve", [3, 4], [3, 2], """{"axes": [-2, 1]}""").ResultShape,
            Is.EqualTo(new[] { 5, 5 })
        );
        Assert.That(
            Plan("scipy.signal.fftconvolve", [3, 4], [3, 2], """{"axes": [0, -1]}""").ResultShape,
            Is.EqualTo(new[] { 5, 5 })
        );
    }

    [Test]
    public void Broadcast_axes_of_different_extents_are_refused()
    {
        // scipy.signal.fftconvolve(ones((3, 6)), ones((2, 3)), axes=[1]): ValueError: incompatible shapes for in1
        // and in2: (3, 6) and (2, 3) (a raises case of fixtures/scipy); 1-D shapes print as (3,).
        Assert.That(
            () => Plan("scipy.signal.oaconvolve", [3, 6], [2, 3], """{"axes": [1]}"""),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo(
                    "scipy.signal.oaconvolve: argument 'axes': ValueError: incompatible shapes for in1 and in2: "
                        + "(3, 6) and (2, 3): axis 0 is not convolved, so its extents must be equal or 1"
                )
        );
    }

    /// <summary>Group, bank and batch shapes, each answered by scipy.signal.fftconvolve and oaconvolve on ones with
    /// the shape named (mode 'full').</summary>
    [TestCase(new[] { 2, 3, 8 }, new[] { 1, 3, 3 }, 2, 3, 3, 3, new[] { 2, 3, 10 }, Description = "groups")]
    [TestCase(new[] { 2, 1, 8 }, new[] { 1, 4, 3 }, 2, 1, 4, 1, new[] { 2, 4, 10 }, Description = "a bank")]
    [TestCase(new[] { 3, 1, 8 }, new[] { 3, 4, 3 }, 1, 3, 12, 3, new[] { 3, 4, 10 }, Description = "both")]
    [TestCase(
        new[] { 3, 1, 4, 8 },
        new[] { 3, 1, 4, 3 },
        1,
        12,
        12,
        12,
        new[] { 3, 1, 4, 10 },
        Description = "an axis of extent 1 in both between the groups"
    )]
    public void Broadcast_axes_become_groups_and_banks(
        int[] in1,
        int[] in2,
        int batch,
        int inChannels,
        int outChannels,
        int groups,
        int[] shape
    )
    {
        int axis = in1.Length - 1;
        foreach (string call in new[] { "scipy.signal.fftconvolve", "scipy.signal.oaconvolve" })
        {
            var plan = Plan(call, in1, in2, $$"""{"axes": [{{axis}}]}""");
            var p = plan.Problem;
            Assert.That(
                (p.Batch, p.InChannels, p.OutChannels, p.Groups, p.Rank),
                Is.EqualTo((batch, inChannels, outChannels, groups, 1)),
                call
            );
            Assert.That(plan.ResultShape, Is.EqualTo(shape), call);
            Assert.That(p.PadBefore, Is.EqualTo(new[] { in2[axis] - 1 }));
        }
    }

    [Test]
    public void A_broadcast_explanation_counts_the_convolutions_and_kernels() =>
        Assert.That(
            Plan("scipy.signal.fftconvolve", [3, 1, 8], [3, 4, 3], """{"axes": [2]}""").Explanation,
            Is.EqualTo(
                "true convolution (in2 reversed), mode 'full', FFT, axes 0 to 1 broadcast: "
                    + "3 separate convolution(s) x 4 kernel(s) each"
            )
        );

    [Test]
    public void Same_mode_groups_keep_the_shape_of_in1() =>
        // scipy.signal.fftconvolve(ones((2, 3, 8)), ones((1, 3, 3)), 'same', axes=[2]): shape (2, 3, 8).
        Assert.That(
            Plan("scipy.signal.fftconvolve", [2, 3, 8], [1, 3, 3], """{"mode": "same", "axes": [2]}""").ResultShape,
            Is.EqualTo(new[] { 2, 3, 8 })
        );

    /// <summary>Broadcasts scipy takes that a reshape cannot express: each answered by scipy.signal.fftconvolve on
    /// ones (shape in the comment), refused here as unsupported, by name.</summary>
    [TestCase(
        new[] { 2, 1, 8 },
        new[] { 1, 4, 3 },
        "[2]",
        "same",
        "in 'same' mode scipy keeps the middle kernel of axis 1 only (in1 has extent 1 there, in2 4): a slice of in2, "
            + "not a reshape",
        Description = "scipy: (2, 1, 8)"
    )]
    [TestCase(
        new[] { 5, 3, 8 },
        new[] { 2, 3, 3 },
        "[0, 2]",
        "full",
        "axis 0 needs the kernel but lies before the broadcast axis 1",
        Description = "scipy: (6, 3, 10)"
    )]
    [TestCase(
        new[] { 3, 5, 3, 8 },
        new[] { 3, 2, 3, 3 },
        "[1, 3]",
        "full",
        "axis 1 lies between the broadcast axes 0 and 2",
        Description = "scipy: (3, 6, 3, 10)"
    )]
    [TestCase(
        new[] { 1, 3, 8 },
        new[] { 4, 3, 3 },
        "[2]",
        "full",
        "axis 0 (in1 extent 1) comes before an axis where both arrays have the same extent",
        Description = "scipy: (4, 3, 10)"
    )]
    [TestCase(
        new[] { 8, 3 },
        new[] { 3, 3 },
        "[0]",
        "full",
        "axis 0 needs the kernel but lies before the broadcast axis 1",
        Description = "scipy: (10, 3)"
    )]
    [TestCase(
        new[] { 2, 3 },
        new[] { 1, 3 },
        "[0]",
        "full",
        "axis 1 is broadcast and comes after every convolved axis",
        Description = "scipy: (2, 3)"
    )]
    public void Broadcasts_a_reshape_cannot_express_are_unsupported(
        int[] in1,
        int[] in2,
        string axes,
        string mode,
        string why
    ) =>
        Assert.That(
            () => Plan("scipy.signal.fftconvolve", in1, in2, $$"""{"mode": "{{mode}}", "axes": {{axes}}}"""),
            Throws
                .TypeOf<UnsupportedCallException>()
                .With.Property(nameof(UnsupportedCallException.Argument))
                .EqualTo("axes")
                .And.Message.StartsWith($"scipy.signal.fftconvolve: argument 'axes': {why}")
        );

    [Test]
    public void A_kernel_of_extent_one_everywhere_folds_all_but_the_last_axis_into_the_batch()
    {
        // scipy.signal.fftconvolve(ones((4, 5)), ones((1, 1)), axes=[1]): shape (4, 5).
        var plan = Plan("scipy.signal.fftconvolve", [4, 5], [1, 1], """{"axes": [1]}""");
        Assert.That((plan.Problem.Batch, plan.Problem.Rank), Is.EqualTo((4, 1)));
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 4, 5 }));
        var flat = Plan("scipy.signal.correlate", [4, 5], [1, 1]);
        Assert.That((flat.Problem.Batch, flat.Problem.Rank), Is.EqualTo((4, 1)));
    }

    [Test]
    public void Plan_refuses_null_arguments()
    {
        var convention = new ScipySignalConvention();
        Assert.That(
            () => convention.Plan("scipy.signal.convolve", null!, new Kwargs("scipy.signal.convolve", null)),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("argShapes")
        );
        Assert.That(
            () =>
                convention.Plan(
                    "scipy.signal.convolve",
                    [
                        [9],
                        [3],
                    ],
                    null!
                ),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("kwargs")
        );
    }

    [Test]
    public void Three_arrays_are_refused() =>
        // scipy.signal.correlate(ones(5), ones(3), ones(2)): TypeError: unhashable type: 'numpy.ndarray' (the third
        // positional argument is mode).
        Assert.That(
            () =>
                ConventionRegistry.Plan(
                    "scipy.signal.correlate",
                    [
                        [5],
                        [3],
                        [2],
                    ],
                    null
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo("scipy.signal.correlate: takes 2 array arguments; 3 given.")
        );

    [Test]
    public void Valid_on_arrays_of_different_ranks_names_the_rank_mismatch() =>
        // scipy.signal.correlate(ones((5, 3)), ones(3), 'valid'): ValueError: in1 and in2 should have the same
        // dimensionality.
        Assert.That(
            () => Plan("scipy.signal.correlate", [5, 3], [3], """{"mode": "valid"}"""),
            Throws.TypeOf<InvalidCallException>().With.Message.Contain("same number of dimensions")
        );

    [Test]
    public void Axes_with_one_out_of_range_are_refused()
    {
        // scipy 1.10.1: fftconvolve(ones((3, 4)), ones((2, 2)), axes=[0, 5]) raises "ValueError: axes exceeds
        // dimensionality of input".
        Assert.That(
            () => Plan("scipy.signal.fftconvolve", [3, 4], [2, 2], """{"axes": [0, 5]}"""),
            Refused<InvalidCallException>(
                "axes",
                "scipy.signal.fftconvolve: argument 'axes': [0, 5] is out of range for 2-D arrays"
            )
        );
    }

    [Test]
    public void Valid_with_axes_reads_the_broadcast_axes_after_the_order()
    {
        // scipy 1.10.1: fftconvolve(ones((2, 8, 6)), ones((3, 3, 5)), 'valid', axes=[1, 2]) raises "ValueError:
        // incompatible shapes for in1 and in2: (2, 8, 6) and (3, 3, 5)": the convolved axes pass the 'valid' order,
        // and axis 0 (2 against 3) is no broadcast.
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan("scipy.signal.fftconvolve", [2, 8, 6], [3, 3, 5], """{"mode": "valid", "axes": [1, 2]}""")
        );
        Assert.That(
            refusal!.Message,
            Does.StartWith("scipy.signal.fftconvolve: argument 'axes': ValueError: incompatible shapes for in1 and in2")
        );
    }
}
