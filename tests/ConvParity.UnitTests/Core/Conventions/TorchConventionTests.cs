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

    /// <summary>Each refusal as torch 1.13.1 words it, with its exception type (read off the real library), and the
    /// argument ConvParity names. Sets in torch's words (the choices of padding) are printed in hash order: only the
    /// rest is compared.</summary>
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"stride": 2, "padding": "same"}""",
        "padding",
        "RuntimeError: padding='same' is not supported for strided convolutions"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        """{"stride": 2, "padding": "same"}""",
        "padding",
        "ValueError: padding='same' is not supported for strided convolutions"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"padding": "full"}""",
        "padding",
        "RuntimeError: Invalid padding string: 'full'"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        """{"padding": "full"}""",
        "padding",
        "ValueError: Invalid padding string 'full', should be one of"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"groups": 4}""",
        "groups",
        "RuntimeError: Given groups=4, expected weight to be divisible by 4 at dimension 0, but got weight of size "
            + "[[6, 4, 3, 3]] instead"
    )]
    [TestCase("torch.nn.Conv2d", """{"groups": 4}""", "groups", "ValueError: out_channels must be divisible by groups")]
    [TestCase("torch.nn.Conv2d", """{"groups": 0}""", "groups", "ValueError: groups must be a positive integer")]
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"groups": 0}""",
        "groups",
        "RuntimeError: non-positive groups is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"groups": 2}""",
        null,
        "RuntimeError: Given groups=2, weight of size [6, 4, 3, 3], expected input[1, 4, 5, 5] to have 8 channels, "
            + "but got 4 channels instead"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"padding": -1}""",
        "padding",
        "RuntimeError: negative padding is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        """{"stride": [1, 1, 1]}""",
        "stride",
        "RuntimeError: expected stride to be a single integer value or a list of 2 values to match the convolution "
            + "dimensions, but got stride=[1, 1, 1]"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        """{"padding": 5, "padding_mode": "reflect"}""",
        "padding",
        "RuntimeError: Argument #4: Padding size should be less than the corresponding input dimension, but got: "
            + "padding (5, 5) at dimension 3 of input 4"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        """{"padding": 6, "padding_mode": "circular"}""",
        "padding",
        "RuntimeError: Padding value causes wrapping around more than once."
    )]
    [TestCase(
        "torch.nn.Conv2d",
        """{"padding_mode": "mirror"}""",
        "padding_mode",
        "ValueError: padding_mode must be one of"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        """{"padding_mode": 3}""",
        "padding_mode",
        "'circular'}, but got padding_mode='3'",
        Description = "torch prints the value given, whatever its type"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        """{"stride": 2, "output_padding": 2}""",
        "output_padding",
        "RuntimeError: output padding must be smaller than either stride or dilation, but got output_padding_height: 2 "
            + "output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        """{"output_padding": -1}""",
        "output_padding",
        "RuntimeError: negative output_padding is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        """{"padding": "same"}""",
        "padding",
        "TypeError: conv_transpose2d(): argument 'padding' must be tuple of ints, not str"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        """{"padding": 5}""",
        null,
        "RuntimeError: Given input size per channel: (5 x 5). Calculated output size per channel: (-3 x -3). Output "
            + "size is too small"
    )]
    public void Torch_refusals_in_torchs_words(string call, string kwargs, string? keyword, string message)
    {
        int[] weight = call.Contains("transpose", StringComparison.Ordinal) ? [4, 3, 3, 3] : [6, 4, 3, 3];
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan(call, (JsonObject)JsonNode.Parse(kwargs)!, [1, 4, 5, 5], weight)
        );
        Assert.That(refusal!.Message, Does.Contain(message));
        Assert.That(refusal.Keyword, Is.EqualTo(keyword));
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

    [Test]
    public void Null_arguments_and_array_counts_are_refused_before_anything_is_read()
    {
        const string call = "torch.nn.functional.conv1d";
        var convention = new TorchConvention();
        var kwargs = new Kwargs(call, []);
        Assert.Throws<ArgumentNullException>(() =>
            convention.Plan(
                null!,
                [
                    [1, 1, 3],
                    [1, 1, 1],
                ],
                kwargs
            )
        );
        Assert.Throws<ArgumentNullException>(() => convention.Plan(call, null!, kwargs));
        Assert.Throws<ArgumentNullException>(() =>
            convention.Plan(
                call,
                [
                    [1, 1, 3],
                    [1, 1, 1],
                ],
                null!
            )
        );
        Assert.That(
            () =>
                convention.Plan(
                    call,
                    [
                        [1, 1, 3],
                        [1, 1, 1],
                        [1],
                        [1],
                    ],
                    kwargs
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.Contains("takes input, weight and an optional bias; 4 arrays given.")
        );
        Assert.That(convention.OptionalArrayArguments("torch.nn.grad.conv1d_weight"), Is.EqualTo(0));
        Assert.That(convention.OptionalArrayArguments("torch.nn.Conv1d"), Is.EqualTo(1));
    }

    /// <summary>More refusals, each as torch 1.13.1 (Debian's python3-torch) raised it for the same call; the keyword
    /// is the argument torch names.</summary>
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": "full"}""",
        "padding",
        "ValueError: Invalid padding string 'full', should be one of {"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"stride": 0}""",
        "stride",
        "RuntimeError: non-positive stride is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"dilation": [1, 0]}""",
        "dilation",
        "RuntimeError: dilation should be greater than zero, but got [1, 0]"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 5, 5 },
        new[] { 6, 4, 3, 3 },
        "{}",
        null,
        "RuntimeError: Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5, 5]"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 2, 2 },
        new[] { 6, 4, 3, 3 },
        "{}",
        null,
        "RuntimeError: Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be "
            + "greater than actual input size"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 5, 5, 5 },
        new[] { 4, 3, 3, 3 },
        "{}",
        null,
        "RuntimeError: Given transposed=1, weight of size [4, 3, 3, 3], expected input[1, 5, 5, 5] to have 4 "
            + "channels, but got 5 channels instead"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": 1, "padding_mode": "circular"}""",
        "padding_mode",
        "RuntimeError: Invalid padding size, expected 2 but got 4",
        Description = "unbatched"
    )]
    [TestCase(
        "torch.nn.Conv1d",
        new[] { 4, 5 },
        new[] { 6, 4, 3 },
        """{"padding": 1, "padding_mode": "circular"}""",
        "padding_mode",
        "RuntimeError: Invalid padding size, expected 0 but got 2"
    )]
    [TestCase(
        "torch.nn.Conv1d",
        new[] { 1, 4, 5 },
        new[] { 6, 4, 3 },
        """{"padding": 5, "padding_mode": "reflect"}""",
        "padding",
        "RuntimeError: Argument #4: Padding size should be less than the corresponding input dimension, "
            + "but got: padding (5, 5) at dimension 2 of input [1, 4, 5]"
    )]
    [TestCase(
        "torch.nn.Conv1d",
        new[] { 4, 5 },
        new[] { 6, 4, 3 },
        """{"padding": 5, "padding_mode": "reflect"}""",
        "padding",
        "but got: padding (5, 5) at dimension 1 of input [4, 5]"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": 5, "padding_mode": "reflect"}""",
        "padding",
        "but got: padding (5, 5) at dimension 2 of input 3"
    )]
    [TestCase(
        "torch.nn.Conv3d",
        new[] { 1, 4, 5, 5, 5 },
        new[] { 6, 4, 3, 3, 3 },
        """{"padding": 5, "padding_mode": "reflect"}""",
        "padding",
        "but got: padding (5, 5) at dimension 4 of input [1, 4, 5, 5, 5]"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": [1, 6], "padding_mode": "circular"}""",
        "padding",
        "RuntimeError: Padding value causes wrapping around more than once."
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"groups": 0}""",
        "groups",
        "RuntimeError: non-positive groups is not supported"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"groups": 0}""",
        "groups",
        "ValueError: groups must be a positive integer"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"output_padding": -1}""",
        "output_padding",
        "RuntimeError: negative output_padding is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose3d",
        new[] { 1, 4, 5, 5, 5 },
        new[] { 4, 3, 3, 3, 3 },
        """{"stride": 2, "output_padding": 2}""",
        "output_padding",
        "RuntimeError: output padding must be smaller than either stride or dilation, but got output_padding_depth: 2 "
            + "output_padding_height: 2 output_padding_width: 2 stride_depth: 2 stride_height: 2 stride_width: 2 "
            + "dilation_depth: 1 dilation_height: 1 dilation_width: 1"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3, 3 },
        new[] { 1, 3, 3, 3 },
        "{}",
        "input_size",
        "TypeError: conv2d_input() missing 1 required positional argument: 'input_size'"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_weight",
        new[] { 1, 4, 5, 5 },
        new[] { 1, 3, 3, 3 },
        "{}",
        "weight_size",
        "TypeError: conv2d_weight() missing 1 required positional argument: 'weight_size'"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3, 3 },
        new[] { 1, 3, 3, 4 },
        """{"input_size": [1, 4, 5, 5]}""",
        null,
        "RuntimeError: Expected a tensor of dimension 4 and tensor.size[3] == 3 but got: dimension 4 and "
            + "tensor.size[3] = 4"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3, 3 },
        new[] { 1, 3, 3, 3 },
        """{"input_size": [4, 5, 5]}""",
        "input_size",
        "RuntimeError: Expected 4-dimensional input for 4-dimensional weight [3, 4, 3, 3], but got 3-dimensional input "
            + "of size [4, 5, 5] instead"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_weight",
        new[] { 4, 5, 5 },
        new[] { 1, 3, 3, 3 },
        """{"weight_size": [3, 4, 3, 3]}""",
        null,
        "but got 3-dimensional input of size [4, 5, 5] instead",
        Description = "the input is an array here, not an argument"
    )]
    public void More_refusals_in_torchs_words(
        string call,
        int[] first,
        int[] second,
        string kwargs,
        string? keyword,
        string message
    )
    {
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan(call, (JsonObject)JsonNode.Parse(kwargs)!, first, second)
        );
        Assert.That(refusal!.Message, Does.Contain(message));
        Assert.That(refusal.Keyword, Is.EqualTo(keyword));
    }

    [Test]
    public void A_transposed_bias_holds_one_value_per_output_channel()
    {
        // torch 1.13.1: F.conv_transpose2d(x (1, 4, 5, 5), w (4, 3, 3, 3), b (5), groups=2) raises this.
        Assert.That(
            () =>
                Plan(
                    "torch.nn.functional.conv_transpose2d",
                    new JsonObject { ["groups"] = 2 },
                    [1, 4, 5, 5],
                    [4, 3, 3, 3],
                    [5]
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.Contains(
                    "RuntimeError: Given transposed=1, weight of size [4, 3, 3, 3], expected bias to be 1-dimensional "
                        + "with 6 elements, but got bias of size [5] instead"
                )
                .And.Property(nameof(InvalidCallException.Keyword))
                .EqualTo("bias")
        );
    }

    /// <summary>torch 1.13.1 refuses these with a TypeError naming the argument and the type it got
    /// (F.conv2d(..., stride=1.5): "got (Tensor, Tensor, stride=float)").</summary>
    [TestCase("stride", "1.5", "float")]
    [TestCase("stride", "true", "bool")]
    [TestCase("stride", "\"2\"", "str")]
    [TestCase("stride", "[[1]]", "list")]
    [TestCase("groups", "1.5", "float")]
    [TestCase("groups", "\"2\"", "str")]
    [TestCase("groups", "{}", "dict")]
    public void Arguments_that_are_not_ints_are_a_TypeError(string name, string value, string type) =>
        Assert.That(
            () =>
                Plan(
                    "torch.nn.functional.conv2d",
                    (JsonObject)JsonNode.Parse($$"""{"{{name}}": {{value}}}""")!,
                    [1, 4, 5, 5],
                    [6, 4, 3, 3]
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.Contains("TypeError")
                .And.Message.Contains(type)
                .And.Property(nameof(InvalidCallException.Keyword))
                .EqualTo(name)
        );

    [Test]
    public void Gradients_read_their_dilation_and_pad_with_zeros()
    {
        // torch 1.13.1: torch.nn.grad.conv2d_weight(x (1, 4, 7, 7), (6, 4, 3, 3), g (1, 6, 3, 3), dilation=2) gives
        // (6, 4, 3, 3); conv2d_input((1, 4, 7, 7), w (6, 4, 3, 3), g (1, 6, 3, 3), dilation=2) gives (1, 4, 7, 7).
        var weight = Plan(
            "torch.nn.grad.conv2d_weight",
            new JsonObject { ["dilation"] = 2, ["weight_size"] = new JsonArray(6, 4, 3, 3) },
            [1, 4, 7, 7],
            [1, 6, 3, 3]
        );
        var input = Plan(
            "torch.nn.grad.conv2d_input",
            new JsonObject { ["dilation"] = 2, ["input_size"] = new JsonArray(1, 4, 7, 7) },
            [6, 4, 3, 3],
            [1, 6, 3, 3]
        );
        Assert.Multiple(() =>
        {
            Assert.That(weight.ResultShape, Is.EqualTo(new[] { 6, 4, 3, 3 }));
            Assert.That(input.ResultShape, Is.EqualTo(new[] { 1, 4, 7, 7 }));
            foreach (var plan in new[] { weight, input })
            {
                Assert.That(plan.Problem.Dilation, Is.EqualTo(new[] { 2, 2 }));
                Assert.That(plan.Explanation, Does.Contain("pads before/after 0/0, 0/0 (zeros)"));
            }
        });
        // The module with no padding_mode pads with zeros too.
        var module = Plan("torch.nn.Conv2d", [], [1, 4, 5, 5], [6, 4, 3, 3]);
        Assert.That(module.Explanation, Does.Contain("(zeros)"));
        // torch.nn.grad.conv2d_input(..., padding="same") fails inside torch (convolution_backward wants a list of
        // ints): ConvParity says it does not plan padding strings there.
        var same = Assert.Throws<UnsupportedCallException>(() =>
            Plan(
                "torch.nn.grad.conv2d_input",
                new JsonObject { ["padding"] = "same", ["input_size"] = new JsonArray(1, 4, 5, 5) },
                [6, 4, 3, 3],
                [1, 6, 5, 5]
            )
        );
        Assert.That(same!.Argument, Is.EqualTo("padding"));
        Assert.That(same.Message, Does.EndWith("a padding string is not handled for torch.nn.grad"));
    }

    [Test]
    public void What_a_ConvProblem_cannot_hold_is_unsupported_by_name()
    {
        Assert.Multiple(() =>
        {
            // torch takes stride=3000000000 (F.conv2d gives (1, 6, 1, 1)); a ConvProblem's sizes are INT32.
            Assert.That(
                () =>
                    Plan(
                        "torch.nn.functional.conv2d",
                        new JsonObject { ["stride"] = 3000000000L },
                        [1, 4, 5, 5],
                        [6, 4, 3, 3]
                    ),
                Throws
                    .TypeOf<UnsupportedCallException>()
                    .With.Message.Contains("3000000000 is too large")
                    .And.Property(nameof(UnsupportedCallException.Argument))
                    .EqualTo("stride")
            );
            // torch gives (1, 1, 11): the last 2 positions only the bias reaches.
            Assert.That(
                () =>
                    Plan(
                        "torch.nn.functional.conv_transpose1d",
                        new JsonObject { ["dilation"] = 3, ["output_padding"] = 2 },
                        [1, 1, 3],
                        [1, 1, 3]
                    ),
                Throws
                    .TypeOf<UnsupportedCallException>()
                    .With.Message.Contains("2 on axis 0 (with padding 0, stride 1) adds output positions")
                    .And.Property(nameof(UnsupportedCallException.Argument))
                    .EqualTo("output_padding")
            );
            Assert.That(
                () =>
                    Plan(
                        "torch.nn.grad.conv2d_input",
                        new JsonObject { ["input_size"] = new JsonArray(1, 4, 5, 5), ["padding"] = "same" },
                        [3, 4, 3, 3],
                        [1, 3, 5, 5]
                    ),
                Throws.TypeOf<UnsupportedCallException>().With.Property("Argument").EqualTo("padding")
            );
            // torch answers an empty batch; a ConvProblem has at least one image.
            Assert.That(
                () =>
                    Plan(
                        "torch.nn.grad.conv2d_input",
                        new JsonObject { ["input_size"] = new JsonArray(0, 4, 5, 5) },
                        [3, 4, 3, 3],
                        [0, 3, 3, 3]
                    ),
                Throws
                    .TypeOf<UnsupportedCallException>()
                    .With.Message.Contains("every size must be at least 1")
                    .And.Property("Argument")
                    .EqualTo("input_size")
            );
        });
    }

    /// <summary>Result shapes torch 1.13.1 gives for the same calls (input and weight zeros of these shapes).</summary>
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"stride": [2]}""",
        new[] { 1, 6, 2, 2 },
        Description = "one entry stands for every axis"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": [1, 2]}""",
        new[] { 1, 6, 5, 7 }
    )]
    [TestCase(
        "torch.nn.functional.conv1d",
        new[] { 1, 4, 5 },
        new[] { 6, 4, 4 },
        """{"padding": "same"}""",
        new[] { 1, 6, 5 }
    )]
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": 4, "padding_mode": "reflect"}""",
        new[] { 1, 6, 11, 11 },
        Description = "reflect: up to n - 1"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 1, 4, 5, 6 },
        new[] { 6, 4, 3, 3 },
        """{"padding": [1, 5], "padding_mode": "reflect"}""",
        new[] { 1, 6, 5, 14 }
    )]
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": 5, "padding_mode": "circular"}""",
        new[] { 1, 6, 13, 13 },
        Description = "circular: up to n"
    )]
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": 9, "padding_mode": "replicate"}""",
        new[] { 1, 6, 21, 21 },
        Description = "replicate: any"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose1d",
        new[] { 1, 4, 5 },
        new[] { 4, 3, 3 },
        """{"dilation": 2, "padding": 1, "output_padding": 1}""",
        new[] { 1, 3, 8 },
        Description = "less than the dilation"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose1d",
        new[] { 1, 1, 3 },
        new[] { 1, 1, 3 },
        """{"stride": 2, "output_padding": 1}""",
        new[] { 1, 1, 8 }
    )]
    public void Result_shapes_as_torch_gives_them(string call, int[] input, int[] weight, string kwargs, int[] result)
    {
        var plan = Plan(call, (JsonObject)JsonNode.Parse(kwargs)!, input, weight);
        Assert.That(plan.ResultShape, Is.EqualTo(result));
    }

    [Test]
    public void The_explanation_says_the_plan_in_words()
    {
        // torch 1.13.1 answers all three: (1, 6, 3, 1), (1, 6, 10) and (3, 4, 3).
        var forward = Plan(
            "torch.nn.functional.conv2d",
            new JsonObject
            {
                ["stride"] = new JsonArray(2, 1),
                ["padding"] = new JsonArray(1, 0),
                ["dilation"] = new JsonArray(1, 2),
                ["groups"] = 2,
            },
            [1, 4, 5, 5],
            [6, 2, 3, 3],
            [6]
        );
        var transposed = Plan(
            "torch.nn.functional.conv_transpose1d",
            new JsonObject
            {
                ["stride"] = 2,
                ["padding"] = 1,
                ["output_padding"] = 1,
                ["groups"] = 2,
            },
            [1, 4, 5],
            [4, 3, 3],
            [6]
        );
        var weight = Plan(
            "torch.nn.grad.conv1d_weight",
            new JsonObject { ["weight_size"] = new JsonArray(3, 4, 3) },
            [1, 4, 5],
            [1, 3, 3]
        );
        var reflect = Plan(
            "torch.nn.Conv1d",
            new JsonObject { ["padding"] = 2, ["padding_mode"] = "reflect" },
            [1, 4, 5],
            [3, 4, 3]
        );
        Assert.Multiple(() =>
        {
            Assert.That(forward.ResultShape, Is.EqualTo(new[] { 1, 6, 3, 1 }));
            Assert.That(
                forward.Explanation,
                Is.EqualTo(
                    "correlation (weight not flipped), pads before/after 1/1, 0/0 (zeros), stride 2x1, dilation 1x2, "
                        + "groups 2, plus bias per channel"
                )
            );
            Assert.That(transposed.ResultShape, Is.EqualTo(new[] { 1, 6, 10 }));
            Assert.That(
                transposed.Explanation,
                Is.EqualTo(
                    "gradient w.r.t. the input (transposed convolution) of correlation (weight not flipped), pads "
                        + "before/after 1/0 (zeros), stride 2, dilation 1, groups 2, plus bias per channel"
                )
            );
            Assert.That(weight.ResultShape, Is.EqualTo(new[] { 3, 4, 3 }));
            Assert.That(
                weight.Explanation,
                Is.EqualTo(
                    "gradient w.r.t. the weight of correlation (weight not flipped), pads before/after 0/0 (zeros), "
                        + "stride 1, dilation 1, groups 1"
                )
            );
            Assert.That(reflect.ResultShape, Is.EqualTo(new[] { 1, 3, 7 }));
            Assert.That(reflect.Explanation, Does.Contain("pads before/after 2/2 (reflect)"));
        });
    }

    /// <summary>F.pad's argument number is that of the axis's pad pair, the last axis first (#4), as torch 1.13.1
    /// says: Conv2d(reflect, padding (5, 1)) on (1, 4, 5, 6) names #6, Conv3d(reflect, padding (5, 1, 1)) on
    /// (1, 4, 5, 6, 6) names #8.</summary>
    [TestCase(
        "torch.nn.Conv2d",
        new[] { 1, 4, 5, 6 },
        new[] { 6, 4, 3, 3 },
        "[5, 1]",
        "RuntimeError: Argument #6: Padding size should be less than the corresponding input dimension, but got: "
            + "padding (5, 5) at dimension 2 of input 4"
    )]
    [TestCase(
        "torch.nn.Conv3d",
        new[] { 1, 4, 5, 6, 6 },
        new[] { 6, 4, 3, 3, 3 },
        "[5, 1, 1]",
        "RuntimeError: Argument #8: Padding size should be less than the corresponding input dimension, but got: "
            + "padding (5, 5) at dimension 2 of input [1, 4, 5, 6, 6]"
    )]
    [TestCase(
        "torch.nn.Conv3d",
        new[] { 1, 4, 6, 5, 6 },
        new[] { 6, 4, 3, 3, 3 },
        "[1, 5, 1]",
        "RuntimeError: Argument #6: Padding size should be less than the corresponding input dimension, but got: "
            + "padding (5, 5) at dimension 3 of input [1, 4, 6, 5, 6]"
    )]
    public void Reflect_padding_names_the_argument_of_its_axis(
        string call,
        int[] input,
        int[] weight,
        string padding,
        string message
    ) =>
        Assert.That(
            () =>
                Plan(
                    call,
                    (JsonObject)JsonNode.Parse($$"""{"padding": {{padding}}, "padding_mode": "reflect"}""")!,
                    input,
                    weight
                ),
            Throws.TypeOf<InvalidCallException>().With.Message.Contains(message)
        );
}
