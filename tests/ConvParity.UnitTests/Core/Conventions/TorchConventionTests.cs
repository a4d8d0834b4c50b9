using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Problems;

namespace ConvParity.Tests;

/// <summary>How torch's calls lower to <see cref="ConvProblem"/>, and what they refuse (messages as torch 1.13.1 gives
/// them, seen on the real library).</summary>
public sealed class TorchConventionTests
{
    private static ConvPlan Plan(string call, JsonObject kwargs, params int[][] shapes) =>
        ConventionRegistry.Plan(call, shapes, kwargs);

    [Test]
    public void Same_padding_with_an_even_effective_kernel_puts_the_extra_after()
    {
        var plan = Plan(
            "torch.nn.functional.conv2d",
            new JsonObject { ["padding"] = "same", ["dilation"] = new JsonArray(1, 3) },
            [1, 4, 7, 6],
            [3, 4, 2, 2],
            [3]
        );
        Assert.Multiple(() =>
        {
            Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(plan.Problem.PadAfter, Is.EqualTo(new[] { 1, 2 }));
            Assert.That(plan.Problem.Flip, Is.False);
            Assert.That(plan.Problem.Bias, Is.True);
            Assert.That(plan.ResultShape, Is.EqualTo(new[] { 1, 3, 7, 6 }));
            Assert.That(plan.ArrayCount, Is.EqualTo(3));
        });
    }

    [Test]
    public void Transposed_convolution_is_the_input_gradient_of_the_forward_problem_with_torchs_weight_as_is()
    {
        var plan = Plan(
            "torch.nn.functional.conv_transpose2d",
            new JsonObject
            {
                ["stride"] = new JsonArray(2, 3),
                ["padding"] = 1,
                ["output_padding"] = new JsonArray(1, 2),
                ["groups"] = 2,
            },
            [2, 4, 5, 4],
            [4, 3, 3, 3],
            [6]
        );
        Assert.Multiple(() =>
        {
            Assert.That(plan.Operation, Is.EqualTo(ConvOperation.GradInput));
            Assert.That(plan.Problem.OutChannels, Is.EqualTo(4));
            Assert.That(plan.Problem.InChannels, Is.EqualTo(6));
            Assert.That(plan.Problem.WeightShape, Is.EqualTo(new[] { 4, 3, 3, 3 }));
            // (I-1)*s - 2p + d(k-1) + output_padding + 1
            Assert.That(plan.ResultShape, Is.EqualTo(new[] { 2, 6, 4 * 2 - 2 + 2 + 1 + 1, 3 * 3 - 2 + 2 + 2 + 1 }));
            Assert.That(plan.Problem.OutputSize, Is.EqualTo(new[] { 5, 4 }));
            Assert.That(plan.Problem.BiasShape(ConvOperation.GradInput), Is.EqualTo(new[] { 6 }));
        });
    }

    [TestCase("reflect", BoundaryKind.Mirror)]
    [TestCase("replicate", BoundaryKind.Nearest)]
    [TestCase("circular", BoundaryKind.Wrap)]
    [TestCase("zeros", BoundaryKind.Zero)]
    public void Module_padding_mode_is_a_boundary(string mode, BoundaryKind kind)
    {
        var plan = Plan(
            "torch.nn.Conv1d",
            new JsonObject { ["padding"] = 2, ["padding_mode"] = mode },
            [2, 3, 6],
            [4, 3, 3]
        );
        Assert.Multiple(() =>
        {
            Assert.That(plan.Problem.Boundary.Kind, Is.EqualTo(kind));
            Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { 2 }));
            Assert.That(plan.ResultShape, Is.EqualTo(new[] { 2, 4, 8 }));
        });
    }

    [Test]
    public void Unbatched_input_keeps_its_shape_in_the_result()
    {
        var plan = Plan("torch.nn.functional.conv1d", new JsonObject { ["padding"] = "valid" }, [3, 9], [5, 3, 4]);
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 5, 6 }));
    }

    [Test]
    public void Gradients_take_the_full_shape_they_are_given()
    {
        var input = Plan(
            "torch.nn.grad.conv2d_input",
            new JsonObject
            {
                ["input_size"] = new JsonArray(1, 4, 6, 6),
                ["stride"] = 2,
                ["padding"] = 1,
            },
            [3, 4, 3, 3],
            [1, 3, 3, 3]
        );
        var weight = Plan(
            "torch.nn.grad.conv2d_weight",
            new JsonObject { ["weight_size"] = new JsonArray(3, 4, 3, 3), ["stride"] = 2 },
            [1, 4, 6, 6],
            [1, 3, 2, 2]
        );
        Assert.Multiple(() =>
        {
            Assert.That(input.Operation, Is.EqualTo(ConvOperation.GradInput));
            Assert.That(input.ResultShape, Is.EqualTo(new[] { 1, 4, 6, 6 }));
            Assert.That(input.SwapsArguments, Is.True);
            Assert.That(weight.Operation, Is.EqualTo(ConvOperation.GradWeights));
            Assert.That(weight.ResultShape, Is.EqualTo(new[] { 3, 4, 3, 3 }));
        });
    }

    /// <summary>Each refusal as torch 1.13.1 words it (the messages were read off the real library).</summary>
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"stride": 2, "padding": "same"}""",
        "RuntimeError: padding='same' is not supported for strided convolutions"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        """{"stride": 2, "padding": "same"}""",
        "ValueError: padding='same' is not supported for strided convolutions"
    )]
    [TestCase("torch.nn.functional.conv2d", """{"padding": "full"}""", "Invalid padding string: 'full'")]
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"groups": 4}""",
        "Given groups=4, expected weight to be divisible by 4 at dimension 0, but got weight of size [[6, 4, 3, 3]] "
            + "instead"
    )]
    [TestCase("torch.nn.Conv2d", """{"groups": 4}""", "ValueError: out_channels must be divisible by groups")]
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"groups": 2}""",
        "Given groups=2, weight of size [6, 4, 3, 3], expected input[1, 4, 5, 5] to have 8 channels, "
            + "but got 4 channels instead"
    )]
    [TestCase("torch.nn.functional.conv2d", """{"padding": -1}""", "negative padding is not supported")]
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"stride": [1, 1, 1]}""",
        "expected stride to be a single integer value or a list of 2 values to match the convolution dimensions, "
            + "but got stride=[1, 1, 1]"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        """{"padding": 5, "padding_mode": "reflect"}""",
        "Padding size should be less than the corresponding input dimension, but got: padding (5, 5) at dimension 3 "
            + "of input 4"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        """{"padding": 6, "padding_mode": "circular"}""",
        "Padding value causes wrapping around more than once."
    )]
    [TestCase("torch.nn.Conv2d", """{"padding_mode": "mirror"}""", "padding_mode must be one of")]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        """{"stride": 2, "output_padding": 2}""",
        "output padding must be smaller than either stride or dilation, but got output_padding_height: 2 "
            + "output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        """{"padding": "same"}""",
        "conv_transpose2d(): argument 'padding' must be tuple of ints, not str"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        """{"padding": 5}""",
        "Given input size per channel: (5 x 5). Calculated output size per channel: (-3 x -3). Output size is too small"
    )]
    public void Torch_refusals_in_torchs_words(string call, string kwargs, string message)
    {
        int[] weight = call.Contains("transpose", StringComparison.Ordinal) ? [4, 3, 3, 3] : [6, 4, 3, 3];
        Assert.That(
            () => Plan(call, (JsonObject)JsonNode.Parse(kwargs)!, [1, 4, 5, 5], weight),
            Throws.TypeOf<InvalidCallException>().With.Message.Contains(message)
        );
    }

    [Test]
    public void A_bias_of_the_wrong_size_is_refused_and_only_torchs_forward_calls_take_one()
    {
        Assert.Multiple(() =>
        {
            Assert.That(
                () => Plan("torch.nn.functional.conv2d", [], [1, 4, 5, 5], [6, 4, 3, 3], [5]),
                Throws
                    .TypeOf<InvalidCallException>()
                    .With.Message.Contains(
                        "Given weight of size [6, 4, 3, 3], expected bias to be 1-dimensional with 6 elements, "
                            + "but got bias of size [5] instead"
                    )
            );
            Assert.That(ConventionRegistry.Refusal("torch.nn.functional.conv2d", 3), Is.Null);
            Assert.That(ConventionRegistry.Refusal("torch.nn.Conv3d", 2), Is.Null);
            Assert.That(ConventionRegistry.Refusal("torch.nn.functional.conv2d", 4), Does.Contain("it takes 2 to 3"));
            Assert.That(ConventionRegistry.Refusal("torch.nn.grad.conv2d_input", 3), Does.Contain("it takes 2"));
            Assert.That(ConventionRegistry.Refusal("scipy.signal.convolve", 3), Does.Contain("it takes 2"));
        });
    }
}
