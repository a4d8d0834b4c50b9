using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Problems;

namespace ConvParity.Tests;

/// <summary>
/// The index rules of docs/conventions.md as the conventions plan them, and the errors that name
/// what is not handled. The committed and generated fixtures prove the rules against the real libraries;
/// these tests pin the rules people argue about and every refusal.
/// </summary>
public sealed class ConventionTests
{
    private static ConvPlan Plan(string call, int[] first, int[] second, string kwargs = "{}") =>
        ConventionRegistry.Plan(call, [first, second], JsonNode.Parse(kwargs)!.AsObject());

    [Test]
    public void Every_v1_call_has_a_convention() =>
        Assert.That(ConventionRegistry.Calls, Is.SupersetOf(Repository.V1Calls));

    [TestCase("scipy.signal.correlate", 2, Description = "anchor n//2")]
    [TestCase("scipy.signal.correlate2d", 1, Description = "anchor (n-1)//2: one apart for even kernels")]
    public void Same_mode_anchors_of_an_even_kernel(string call, int padBefore)
    {
        var plan = Plan(call, [6, 8], [4, 4], """{"mode": "same"}""");
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { padBefore, padBefore }));
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 6, 8 }));
    }

    [TestCase("numpy.convolve", 7, 4, true, 2)]
    [TestCase("numpy.correlate", 7, 4, false, 2)]
    [TestCase("numpy.correlate", 4, 7, false, 4, Description = "v longer: numpy swaps and reverses, the centre moves")]
    [TestCase("numpy.convolve", 4, 7, true, 5)]
    public void Numpy_same_mode(string call, int a, int v, bool flip, int padBefore)
    {
        var plan = Plan(call, [a], [v], """{"mode": "same"}""");
        Assert.That(plan.Problem.Flip, Is.EqualTo(flip));
        Assert.That(plan.Problem.PadBefore[0], Is.EqualTo(padBefore));
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { Math.Max(a, v) }));
    }

    [Test]
    public void Ndimage_convolve_of_an_even_kernel_is_one_away_from_signal_convolve_same()
    {
        var ndimage = Plan("scipy.ndimage.convolve", [9], [4], """{"mode": "constant", "cval": 0.0, "origin": 0}""");
        var signal = Plan("scipy.signal.convolve", [9], [4], """{"mode": "same", "method": "direct"}""");
        Assert.That(ndimage.Problem.PadBefore[0], Is.EqualTo(1));
        Assert.That(signal.Problem.PadBefore[0], Is.EqualTo(2));
    }

    [TestCase(-2, true)]
    [TestCase(1, true)]
    [TestCase(2, false)]
    [TestCase(-3, false)]
    public void Ndimage_origin_must_stay_inside_the_kernel(int origin, bool allowed)
    {
        Action plan = () => Plan("scipy.ndimage.correlate", [9], [4], $$"""{"origin": {{origin}}}""");
        if (allowed)
            Assert.That(plan, Throws.Nothing);
        else
            Assert.That(
                plan,
                Throws
                    .InstanceOf<InvalidCallException>()
                    .With.Message.Contain("'origin'")
                    .And.Message.Contain(origin.ToString(System.Globalization.CultureInfo.InvariantCulture))
            );
    }

    [TestCase("reflect", BoundaryKind.Reflect)]
    [TestCase("grid-mirror", BoundaryKind.Reflect)]
    [TestCase("mirror", BoundaryKind.Mirror)]
    [TestCase("nearest", BoundaryKind.Nearest)]
    [TestCase("wrap", BoundaryKind.Wrap)]
    [TestCase("grid-wrap", BoundaryKind.Wrap)]
    [TestCase("constant", BoundaryKind.Constant)]
    [TestCase("grid-constant", BoundaryKind.Constant)]
    public void Ndimage_modes(string mode, BoundaryKind kind) =>
        Assert.That(
            Plan(
                "scipy.ndimage.correlate1d",
                [3, 9],
                [3],
                $$"""{"mode": "{{mode}}", "cval": 1.5, "axis": 1}"""
            ).Problem.Boundary.Kind,
            Is.EqualTo(kind)
        );

    [Test]
    public void Theano_half_with_an_even_kernel_is_one_longer_than_the_input()
    {
        var plan = Plan("theano.tensor.nnet.conv2d", [1, 1, 7, 7], [1, 1, 4, 3], """{"border_mode": "half"}""");
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 1, 1, 8, 7 }));
        Assert.That(plan.Problem.Flip, Is.True, "filter_flip defaults to True");
    }

    [TestCase("\"full\"", new[] { 3, 2 }, new[] { 3, 2 })]
    [TestCase("2", new[] { 2, 2 }, new[] { 2, 2 })]
    [TestCase("[1, 2]", new[] { 1, 2 }, new[] { 1, 2 })]
    [TestCase("[[0, 2], [3, 1]]", new[] { 0, 3 }, new[] { 2, 1 })]
    public void Theano_border_modes(string borderMode, int[] before, int[] after)
    {
        var plan = Plan(
            "theano.tensor.nnet.conv2d",
            [1, 2, 9, 9],
            [3, 2, 4, 3],
            $$"""{"border_mode": {{borderMode}}}"""
        );
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(before));
        Assert.That(plan.Problem.PadAfter, Is.EqualTo(after));
    }

    [Test]
    public void Theano_signal_conv2d_drops_the_axes_its_arguments_lack() =>
        Assert.That(
            Plan("theano.tensor.signal.conv.conv2d", [5, 7], [2, 2, 5], """{"border_mode": "full"}""").ResultShape,
            Is.EqualTo(new[] { 2, 6, 11 })
        );

    [Test]
    public void Dnn_conv_cross_is_correlation() =>
        Assert.That(
            Plan("theano.gpuarray.dnn.dnn_conv", [1, 1, 6, 6], [1, 1, 6, 6], """{"conv_mode": "cross"}""").Problem.Flip,
            Is.False
        );

    [Test]
    public void An_unknown_call_is_unsupported() =>
        Assert.That(
            () => Plan("torch.conv2d", [1], [1]),
            Throws.TypeOf<UnsupportedCallException>().With.Message.Contain("torch.conv2d")
        );

    [Test]
    public void An_unknown_keyword_argument_is_named() =>
        Assert.That(
            () => Plan("numpy.convolve", [5], [3], """{"mode": "full", "axis": 0}"""),
            Throws
                .TypeOf<UnsupportedCallException>()
                .With.Property(nameof(UnsupportedCallException.Argument))
                .EqualTo("axis")
        );

    [Test]
    public void An_unhandled_value_is_named() =>
        Assert.That(
            () => Plan("scipy.signal.convolve2d", [5, 5], [3, 3], """{"boundary": "circular"}"""),
            Throws.TypeOf<UnsupportedCallException>().With.Message.Contain("'boundary'").And.Message.Contain("circular")
        );

    [Test]
    public void Theano_channels_must_match_the_filters() =>
        Assert.That(
            () => Plan("theano.tensor.nnet.conv2d", [1, 4, 6, 6], [2, 3, 3, 3], """{"num_groups": 1}"""),
            Throws.InstanceOf<InvalidCallException>().With.Message.Contain("4 channels")
        );

    [Test]
    public void Theano_grad_wrt_inputs_needs_the_input_shape() =>
        Assert.That(
            () => Plan("theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_inputs", [1, 1, 3, 3], [1, 1, 2, 2]),
            Throws.InstanceOf<InvalidCallException>().With.Message.Contain("input_shape")
        );

    [Test]
    public void Theano_output_grad_must_have_the_output_shape() =>
        Assert.That(
            () =>
                Plan(
                    "theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_inputs",
                    [1, 1, 3, 3],
                    [1, 1, 2, 2],
                    """{"input_shape": [1, 1, 5, 5]}"""
                ),
            Throws
                .InstanceOf<InvalidCallException>()
                .With.Message.Contain("output_grad")
                .And.Message.Contain("1, 1, 4, 4")
        );

    [Test]
    public void Scipy_valid_needs_one_array_larger_in_every_axis() =>
        Assert.That(
            () => Plan("scipy.signal.correlate", [5, 3], [3, 5], """{"mode": "valid"}"""),
            Throws.InstanceOf<InvalidCallException>().With.Message.Contain("valid")
        );

    [Test]
    public void Leading_axes_where_the_kernel_is_flat_fold_into_the_batch()
    {
        var plan = Plan(
            "scipy.signal.correlate",
            [2, 3, 6, 6],
            [1, 1, 3, 3],
            """{"mode": "valid", "method": "direct"}"""
        );
        Assert.That(plan.Problem.Batch, Is.EqualTo(6));
        Assert.That(plan.Problem.Rank, Is.EqualTo(2));
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 2, 3, 4, 4 }));
    }

    [Test]
    public void Four_axes_needing_the_kernel_are_unsupported() =>
        Assert.That(
            () => Plan("scipy.signal.convolve", [3, 3, 3, 3], [2, 2, 2, 2]),
            Throws.TypeOf<UnsupportedCallException>().With.Message.Contain("4 spatial axes")
        );

    [Test]
    public void Fft_methods_are_judged_normwise() =>
        Assert.That(Plan("scipy.signal.fftconvolve", [20], [5]).Algorithm, Is.EqualTo(ReferenceAlgorithm.Fft));

    [Test]
    public void Keyword_arguments_built_in_code_read_like_parsed_ones()
    {
        var kwargs = new JsonObject
        {
            ["border_mode"] = 2,
            ["subsample"] = new JsonArray(2, 1),
            ["num_groups"] = 1L,
            ["filter_flip"] = false,
        };
        var plan = ConventionRegistry.Plan(
            "theano.tensor.nnet.conv2d",
            [
                [1, 1, 6, 6],
                [1, 1, 3, 3],
            ],
            kwargs
        );
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(plan.Problem.Stride, Is.EqualTo(new[] { 2, 1 }));
        var ndimage = ConventionRegistry.Plan(
            "scipy.ndimage.correlate",
            [
                [9],
                [3],
            ],
            new JsonObject { ["mode"] = "constant", ["cval"] = 1.5f }
        );
        Assert.That(ndimage.Problem.Boundary.Value, Is.EqualTo(1.5f));
    }
}
