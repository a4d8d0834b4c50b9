using System.Text.Json.Nodes;
using ConvParity.Conventions;

namespace ConvParity.Tests;

/// <summary>
/// Theano 1.0.5's calls as TheanoConvention plans them, and what Theano refuses, in its order and words. Every shape
/// and message below is what the real library (../shared/theano, on CPU) gave for the same call.
/// </summary>
public sealed class TheanoConventionTests
{
    private const string Conv2d = "theano.tensor.nnet.conv2d";
    private const string Conv3d = "theano.tensor.nnet.conv3d";
    private const string Legacy = "theano.tensor.nnet.conv.conv2d";
    private const string Signal = "theano.tensor.signal.conv.conv2d";
    private const string GradInputs = "theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_inputs";
    private const string GradWeights = "theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_weights";
    private const string Dnn = "theano.gpuarray.dnn.dnn_conv";

    private static ConvPlan Plan(string call, int[] first, int[] second, string kwargs = "{}") =>
        ConventionRegistry.Plan(call, [first, second], JsonNode.Parse(kwargs)!.AsObject());

    [Test]
    public void Null_arguments_are_refused()
    {
        var convention = new TheanoConvention();
        Assert.Throws<ArgumentNullException>(() => convention.Plan(Conv2d, null!, new Kwargs(Conv2d, [])));
        Assert.Throws<ArgumentNullException>(() =>
            convention.Plan(
                Conv2d,
                [
                    [1, 1, 3, 3],
                    [1, 1, 1, 1],
                ],
                null!
            )
        );
    }

    /// <summary>Each refusal as Theano 1.0.5 raised it: conv2d/conv3d when the op is built (border_mode, subsample,
    /// filter_dilation, num_groups), CorrMM and the legacy ConvOp when they run.</summary>
    [TestCase(Conv2d, "-1", "invalid border_mode -1, which must be a non-negative integer")]
    [TestCase(
        Conv2d,
        "\"same\"",
        "ValueError: invalid border_mode same, which must be either \"valid\", \"full\", \"half\", an integer or a "
            + "tuple of length 2"
    )]
    [TestCase(Conv2d, "1.5", "ValueError: invalid border_mode 1.5, which must be either \"valid\"")]
    [TestCase(Conv2d, "[1, 2, 3]", "ValueError: invalid border_mode (1, 2, 3), which must be a tuple of length 2")]
    [TestCase(Conv2d, "[1]", "ValueError: invalid border_mode (1,), which must be a tuple of length 2")]
    [TestCase(
        Conv2d,
        "[1, \"a\"]",
        "ValueError: invalid border mode (1, 'a'). The tuple can only contain integers  or pairs of integers"
    )]
    [TestCase(Conv2d, "[1, -1]", "ValueError: invalid border mode (1, -1). The tuple can only contain integers")]
    [TestCase(Conv2d, "[[1, 2], [0, -1]]", "ValueError: invalid border mode ((1, 2), (0, -1)). The tuple can only")]
    [TestCase(Conv2d, "[[1, 2, 3], 0]", "ValueError: invalid border mode ((1, 2, 3), 0). The tuple can only")]
    [TestCase(
        Conv2d,
        "[null, 1]",
        "ValueError: invalid border mode (None, 1). The tuple can only contain integers  or pairs of integers"
    )]
    [TestCase(Conv2d, "[\"half\"]", "ValueError: invalid border_mode ('half',), which must be a tuple of length 2")]
    [TestCase(Conv3d, "[[1, 2], 0, 0]", "NotImplementedError: Asymmetric padding not implemented for 3D")]
    [TestCase(Conv3d, "[1, 2]", "ValueError: invalid border_mode (1, 2), which must be a tuple of length 3")]
    [TestCase(Legacy, "\"half\"", "Exception: Mode half not implemented")]
    [TestCase(Legacy, "1", "Exception: Mode 1 not implemented")]
    [TestCase(Legacy, "[1, 1]", "Exception: Mode (1, 1) not implemented")]
    [TestCase(Legacy, "true", "Exception: Mode True not implemented")]
    [TestCase(Legacy, "false", "Exception: Mode False not implemented")]
    [TestCase(Signal, "\"half\"", "Exception: Mode half not implemented")]
    public void Border_modes_theano_refuses(string call, string borderMode, string message)
    {
        int[] input = call switch
        {
            Conv3d => [1, 1, 6, 6, 6],
            Signal => [6, 6],
            _ => [1, 1, 6, 6],
        };
        int[] filters = call switch
        {
            Conv3d => [1, 1, 3, 3, 3],
            Signal => [3, 3],
            _ => [1, 1, 3, 3],
        };
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan(call, input, filters, $$"""{"border_mode": {{borderMode}}}""")
        );
        Assert.That(refusal!.Message, Does.Contain(message));
        Assert.That(refusal.Keyword, Is.EqualTo("border_mode"));
    }

    [TestCase(Conv2d, "subsample", "2", "TypeError: object of type 'int' has no len()")]
    [TestCase(Conv2d, "subsample", "1.5", "TypeError: object of type 'float' has no len()")]
    [TestCase(Conv2d, "subsample", "true", "TypeError: object of type 'bool' has no len()")]
    [TestCase(Conv2d, "subsample", "[2]", "ValueError: subsample must have 2 elements")]
    [TestCase(Conv2d, "filter_dilation", "2", "TypeError: object of type 'int' has no len()")]
    [TestCase(Conv2d, "num_groups", "0", "ValueError: num_groups must have value greater than zero")]
    [TestCase(Legacy, "subsample", "2", "TypeError: 'int' object is not subscriptable")]
    [TestCase(Legacy, "subsample", "[2]", "IndexError: tuple index out of range")]
    [TestCase(Conv2d, "subsample", "\"2\"", "ValueError: subsample must have 2 elements")]
    [TestCase(Conv2d, "filter_dilation", "\"123\"", "ValueError: filter_dilation must have 2 elements")]
    [TestCase(Legacy, "subsample", "\"2\"", "IndexError: string index out of range")]
    [TestCase(Legacy, "subsample", "\"22\"", "TypeError: ('ConvOp.__init__ param dx must be an int', '2')")]
    public void Arguments_theano_refuses(string call, string name, string value, string message)
    {
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan(call, [1, 1, 6, 6], [1, 1, 3, 3], $$"""{"{{name}}": {{value}}}""")
        );
        Assert.That(refusal!.Message, Does.Contain(message));
        Assert.That(refusal.Keyword, Is.EqualTo(name));
    }

    [TestCase(
        Conv2d,
        new[] { 1, 4, 6, 6 },
        new[] { 2, 3, 3, 3 },
        "{}",
        "ValueError: CorrMM images and kernel must have the same stack size"
    )]
    [TestCase(
        Conv3d,
        new[] { 1, 4, 5, 5, 5 },
        new[] { 2, 3, 3, 3, 3 },
        "{}",
        "ValueError: Corr3dMM images and kernel must have the same stack size"
    )]
    [TestCase(
        Conv2d,
        new[] { 1, 4, 6, 6 },
        new[] { 3, 2, 3, 3 },
        """{"num_groups": 2}""",
        "ValueError: CorrMM the number of filters must be divisible by the number of groups: 3 filters, 2 groups."
    )]
    [TestCase(
        Legacy,
        new[] { 1, 4, 6, 6 },
        new[] { 2, 3, 3, 3 },
        "{}",
        "ValueError: the filter stack size (3) and image stack size (4) differ"
    )]
    public void Stacks_theano_refuses_when_it_runs(
        string call,
        int[] input,
        int[] filters,
        string kwargs,
        string message
    )
    {
        var refusal = Assert.Throws<InvalidCallException>(() => Plan(call, input, filters, kwargs));
        Assert.That(refusal!.Message, Does.Contain(message));
        Assert.That(refusal.Keyword, Is.Null);
    }

    [Test]
    public void A_string_of_the_right_length_is_not_read_as_a_tuple()
    {
        // Theano 1.0.5 answers conv2d(subsample="22") on a (1, 1, 6, 6) input with a (1, 1, 2, 2) output: the
        // characters reach the C code as they are. ConvParity does not follow that, and says so.
        var refusal = Assert.Throws<UnsupportedCallException>(() =>
            Plan(Conv2d, [1, 1, 6, 6], [1, 1, 3, 3], """{"subsample": "22"}""")
        );
        Assert.That(refusal!.Argument, Is.EqualTo("subsample"));
        Assert.That(refusal.Message, Does.EndWith("the string '22' where a tuple of 2 ints belongs"));
    }

    [Test]
    public void A_padding_beyond_an_int_is_refused_by_name()
    {
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan(Conv2d, [1, 1, 6, 6], [1, 1, 3, 3], """{"border_mode": 3000000000}""")
        );
        Assert.That(refusal!.Keyword, Is.EqualTo("border_mode"));
        Assert.That(refusal.Message, Does.EndWith("argument 'border_mode': 3000000000 is too large a padding"));
    }

    /// <summary>An output with no positions, refused as Theano 1.0.5 refused it when the function ran
    /// (theano.function over zeros of these shapes), followed by ConvParity's reason.</summary>
    [TestCase(
        Conv2d,
        new[] { 1, 1, 2, 2 },
        new[] { 1, 1, 3, 3 },
        "{}",
        "ValueError: CorrMM: impossible output shape: "
    )]
    [TestCase(
        Conv3d,
        new[] { 1, 1, 2, 5, 5 },
        new[] { 1, 1, 3, 3, 3 },
        "{}",
        "ValueError: Corr3dMM: impossible output shape: "
    )]
    [TestCase(
        Legacy,
        new[] { 1, 1, 1, 5 },
        new[] { 1, 1, 3, 3 },
        """{"subsample": [1, 2]}""",
        "ValueError: Output dimensions are not valid -1x2: "
    )]
    [TestCase(
        Signal,
        new[] { 2, 2, 5 },
        new[] { 3, 3, 3 },
        """{"subsample": [2, 1]}""",
        "ValueError: Output dimensions are not valid 0x3: "
    )]
    public void An_empty_output_is_refused_in_theanos_words(
        string call,
        int[] input,
        int[] filters,
        string kwargs,
        string words
    )
    {
        var refusal = Assert.Throws<InvalidCallException>(() => Plan(call, input, filters, kwargs));
        Assert.That(refusal!.Keyword, Is.Null);
        Assert.That(refusal.Message, Does.StartWith($"{call}: {words}"));
        Assert.That(refusal.Message.Length, Is.GreaterThan(call.Length + words.Length + 2), "the reason follows");
    }

    [Test]
    public void A_stack_mismatch_says_the_channels_each_side_counts()
    {
        // Theano 1.0.5: conv2d(x (1, 4, 6, 6), w (2, 3, 3, 3), num_groups=2) raises "CorrMM images and kernel must
        // have the same stack size"; ConvParity adds the count.
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan(Conv2d, [1, 4, 6, 6], [2, 3, 3, 3], """{"num_groups": 2}""")
        );
        Assert.That(
            refusal!.Message,
            Does.EndWith(
                "ValueError: CorrMM images and kernel must have the same stack size: filters [2, 3, 3, 3] take 3 "
                    + "channels per group x 2 groups = 6, but the input has 4 channels."
            )
        );
    }

    [Test]
    public void Signal_conv2d_takes_single_images_and_filters_or_stacks_of_them()
    {
        // Shapes from the committed Theano suite (fixtures/theano 0099, 0101, 0103).
        var filterStack = Plan(Signal, [7, 6], [3, 3, 2]);
        Assert.That(filterStack.ResultShape, Is.EqualTo(new[] { 3, 5, 5 }));
        Assert.That(filterStack.Problem.OutChannels, Is.EqualTo(3));
        var imageStack = Plan(Signal, [2, 7, 6], [3, 2]);
        Assert.That(imageStack.ResultShape, Is.EqualTo(new[] { 2, 5, 5 }));
        Assert.That(imageStack.Problem.OutChannels, Is.EqualTo(1));
        Assert.That(imageStack.Problem.Batch, Is.EqualTo(2));
        Assert.That(Plan(Signal, [2, 7, 6], [3, 3, 2]).ResultShape, Is.EqualTo(new[] { 2, 3, 5, 5 }));
        // theano.tensor.signal.conv.conv2d asserts filters.ndim in (2, 3).
        var fourD = Assert.Throws<InvalidCallException>(() => Plan(Signal, [6, 6], [1, 1, 3, 3]));
        Assert.That(fourD!.Message, Does.EndWith("filters has shape [1, 1, 3, 3] (4-D); 2 or 3-D expected."));
        foreach (string hint in new[] { "image_shape", "filter_shape" })
            Assert.That(
                () => Plan(Signal, [6, 6], [3, 3], $$"""{"{{hint}}": [5, 5]}"""),
                Throws.TypeOf<InvalidCallException>().With.Property("Keyword").EqualTo(hint)
            );
    }

    /// <summary>Output shapes Theano 1.0.5 gave (theano.function over zeros of these shapes).</summary>
    [TestCase(
        Conv2d,
        new[] { 1, 1, 7, 7 },
        new[] { 1, 1, 4, 3 },
        """{"border_mode": "half", "filter_dilation": [2, 1]}""",
        new[] { 1, 1, 7, 7 },
        Description = "half pads k_eff // 2 of the dilated kernel: 3 and 1"
    )]
    [TestCase(
        Conv2d,
        new[] { 1, 1, 7, 7 },
        new[] { 1, 1, 4, 3 },
        """{"border_mode": "full", "filter_dilation": [1, 2]}""",
        new[] { 1, 1, 10, 11 }
    )]
    [TestCase(
        Conv3d,
        new[] { 1, 2, 5, 5, 5 },
        new[] { 3, 2, 2, 3, 1 },
        """{"border_mode": "full", "subsample": [2, 1, 1]}""",
        new[] { 1, 3, 3, 7, 5 }
    )]
    [TestCase(
        Legacy,
        new[] { 1, 1, 6, 6 },
        new[] { 1, 1, 3, 3 },
        """{"subsample": [2, 1, 5]}""",
        new[] { 1, 1, 2, 4 },
        Description = "the legacy ConvOp reads the first two entries"
    )]
    [TestCase(
        Legacy,
        new[] { 2, 3, 5, 6 },
        new[] { 4, 3, 2, 3 },
        """{"border_mode": "full", "subsample": [1, 2]}""",
        new[] { 2, 4, 6, 4 }
    )]
    [TestCase(
        Conv2d,
        new[] { 1, 1, 6, 6 },
        new[] { 1, 1, 3, 3 },
        """{"input_shape": [null, 1, 6, 6], "filter_shape": [1, null, 3, 3]}""",
        new[] { 1, 1, 4, 4 },
        Description = "None in a shape hint is unknown"
    )]
    [TestCase(
        GradWeights,
        new[] { 1, 2, 7, 6 },
        new[] { 1, 3, 4, 6 },
        """{"filter_shape": [3, 2, 3, 3], "border_mode": "half", "subsample": [2, 1]}""",
        new[] { 3, 2, 3, 3 }
    )]
    [TestCase(
        GradInputs,
        new[] { 1, 3, 4, 2 },
        new[] { 3, 2, 3, 3 },
        """{"input_shape": [1, 2, 8, 6], "border_mode": [1, 0], "subsample": [2, 2]}""",
        new[] { 1, 2, 8, 6 },
        Description = "input_shape (1, 2, 7, 6) gives the same output_grad: the argument decides"
    )]
    [TestCase(
        "theano.tensor.nnet.abstract_conv.conv3d_grad_wrt_weights",
        new[] { 1, 2, 5, 5, 5 },
        new[] { 1, 3, 3, 3, 3 },
        """{"filter_shape": [3, 2, 3, 3, 3]}""",
        new[] { 3, 2, 3, 3, 3 }
    )]
    [TestCase(
        "theano.tensor.nnet.abstract_conv.conv3d_grad_wrt_inputs",
        new[] { 1, 3, 3, 3, 3 },
        new[] { 3, 2, 3, 3, 3 },
        """{"input_shape": [1, 2, 5, 5, 5]}""",
        new[] { 1, 2, 5, 5, 5 }
    )]
    public void Output_shapes_as_theano_gives_them(string call, int[] first, int[] second, string kwargs, int[] result)
    {
        var plan = Plan(call, first, second, kwargs);
        Assert.That(plan.ResultShape, Is.EqualTo(result));
    }

    [Test]
    public void Unshared_filters_hold_a_kernel_per_output_position()
    {
        // Theano: conv2d(x (1, 2, 5, 5), w (3, 3, 3, 2, 3, 3), unshared=True) gives (1, 3, 3, 3); with w
        // (3, 2, 3, 2, 3, 3) CorrMM raises "regions in kernel must match output regions".
        var plan = Plan(Conv2d, [1, 2, 5, 5], [3, 3, 3, 2, 3, 3], """{"unshared": true}""");
        Assert.That(plan.Problem.Unshared, Is.True);
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 1, 3, 3, 3 }));
        Assert.That(plan.Explanation, Does.EndWith("groups 1, unshared"));
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan(Conv2d, [1, 2, 5, 5], [3, 2, 3, 2, 3, 3], """{"unshared": true}""")
        );
        Assert.That(
            refusal!.Message,
            Does.Contain("unshared filters [3, 2, 3, 2, 3, 3] hold kernels for a 2x3 output; the output is 3x3.")
        );
        var gradient = Plan(
            GradWeights,
            [1, 2, 5, 5],
            [1, 3, 3, 3],
            """{"filter_shape": [3, 3, 3, 2, 3, 3], "unshared": true}"""
        );
        Assert.That(gradient.ResultShape, Is.EqualTo(new[] { 3, 3, 3, 2, 3, 3 }));
        var input = Plan(
            GradInputs,
            [1, 3, 3, 3],
            [3, 3, 3, 2, 3, 3],
            """{"input_shape": [1, 2, 5, 5], "unshared": true}"""
        );
        Assert.That(input.ResultShape, Is.EqualTo(new[] { 1, 2, 5, 5 }));
    }

    [Test]
    public void A_shape_hint_that_contradicts_the_array_is_refused_by_name()
    {
        // Theano 1.0.5 does not check (conv2d with input_shape (1, 1, 5, 5) answers for the (1, 1, 6, 6) array it is
        // given); ConvParity names the hint that does not describe the case.
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan(Conv2d, [1, 1, 6, 6], [1, 1, 3, 3], """{"input_shape": [1, 1, 5, 5]}""")
        );
        Assert.That(refusal!.Keyword, Is.EqualTo("input_shape"));
        Assert.That(refusal.Message, Does.Contain("[1,1,5,5] does not match the array's shape [1, 1, 6, 6]"));
        Assert.That(
            () => Plan(Conv2d, [1, 1, 6, 6], [1, 1, 3, 3], """{"filter_shape": [1, 1, 3]}"""),
            Throws.TypeOf<InvalidCallException>().With.Property("Keyword").EqualTo("filter_shape")
        );
        Assert.That(
            () => Plan(Legacy, [1, 1, 6, 6], [1, 1, 3, 3], """{"image_shape": [1, 1, "6", 6]}"""),
            Throws.TypeOf<InvalidCallException>().With.Property("Keyword").EqualTo("image_shape")
        );
        Assert.That(
            () =>
                Plan(
                    GradWeights,
                    [1, 1, 6, 6],
                    [1, 1, 4, 4],
                    """{"filter_shape": [1, 1, 3, 3], "input_shape": [1, 1, 6, 7]}"""
                ),
            Throws.TypeOf<InvalidCallException>().With.Property("Keyword").EqualTo("input_shape")
        );
    }

    [Test]
    public void Gradients_need_the_shape_they_answer()
    {
        var weights = Assert.Throws<InvalidCallException>(() => Plan(GradWeights, [1, 1, 6, 6], [1, 1, 4, 4]));
        Assert.That(weights!.Keyword, Is.EqualTo("filter_shape"));
        Assert.That(weights.Message, Does.EndWith("argument 'filter_shape': is required"));
        var inputs = Assert.Throws<InvalidCallException>(() => Plan(GradInputs, [1, 1, 4, 4], [1, 1, 3, 3]));
        Assert.That(inputs!.Keyword, Is.EqualTo("input_shape"));
        Assert.That(
            inputs.Message,
            Does.EndWith(
                "argument 'input_shape': is required: with stride > 1 several input shapes give the same output"
            )
        );
        var input = Assert.Throws<InvalidCallException>(() =>
            Plan(GradWeights, [1, 6, 6], [1, 1, 4, 4], """{"filter_shape": [1, 1, 3, 3]}""")
        );
        Assert.That(input!.Message, Does.EndWith("input has shape [1, 6, 6] (3-D); 4-D expected."));
        var filterShape = Assert.Throws<InvalidCallException>(() =>
            Plan(GradWeights, [1, 1, 6, 6], [1, 1, 4, 4], """{"filter_shape": [1, 3, 3]}""")
        );
        Assert.That(filterShape!.Message, Does.EndWith("filter_shape has shape [1, 3, 3] (3-D); 4-D expected."));
        var outputGrad = Assert.Throws<InvalidCallException>(() =>
            Plan(GradWeights, [1, 1, 6, 6], [1, 1, 4, 5], """{"filter_shape": [1, 1, 3, 3]}""")
        );
        Assert.That(
            outputGrad!.Message,
            Does.Contain("output_grad has shape [1, 1, 4, 5]; these settings give [1, 1, 4, 4].")
        );
    }

    [Test]
    public void Dnn_conv_takes_cudnns_arguments()
    {
        // cuDNN is not on the machines that answer Theano; dnn_conv is planned by its documented arguments.
        var plan = Plan(
            Dnn,
            [1, 4, 9, 9],
            [6, 2, 3, 3],
            """
            {"border_mode": "half", "subsample": [2, 1], "dilation": [1, 2], "num_groups": 2, "precision": "float32",
             "algo": "none", "direction_hint": "forward!", "workmem": "small"}
            """
        );
        Assert.That(plan.Problem.Flip, Is.True, "conv_mode 'conv' by default");
        Assert.That(plan.Problem.Stride, Is.EqualTo(new[] { 2, 1 }));
        Assert.That(plan.Problem.Dilation, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(plan.Problem.Groups, Is.EqualTo(2));
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { 1, 2 }));
        var fiveD = Plan("theano.sandbox.cuda.dnn.dnn_conv", [1, 1, 5, 5, 5], [1, 1, 3, 3, 3]);
        Assert.That(fiveD.ResultShape, Is.EqualTo(new[] { 1, 1, 3, 3, 3 }));
        var half = Assert.Throws<UnsupportedCallException>(() =>
            Plan(Dnn, [1, 1, 5, 5], [1, 1, 3, 3], """{"precision": "float16"}""")
        );
        Assert.That(half!.Argument, Is.EqualTo("precision"));
        Assert.That(half.Message, Does.Contain("'float16' changes the arithmetic"));
        foreach (string precision in new[] { "as_input_f32", "as_input" })
            Assert.That(
                Plan(Dnn, [1, 1, 5, 5], [1, 1, 3, 3], $$"""{"precision": "{{precision}}"}""").ResultShape,
                Is.EqualTo(new[] { 1, 1, 3, 3 })
            );
    }

    [Test]
    public void The_explanation_says_the_plan_in_words()
    {
        var forward = Plan(
            Conv2d,
            [1, 2, 7, 7],
            [4, 1, 4, 3],
            """{"border_mode": [[1, 2], 0], "subsample": [2, 1], "num_groups": 2}"""
        );
        Assert.That(
            forward.Explanation,
            Is.EqualTo(
                "true convolution (filters flipped), pads before/after 1/2, 0/0, stride 2x1, dilation 1x1, groups 2"
            )
        );
        var correlation = Plan(
            Conv2d,
            [1, 1, 6, 6],
            [1, 1, 3, 3],
            """{"filter_flip": false, "filter_dilation": [1, 2]}"""
        );
        Assert.That(
            correlation.Explanation,
            Does.StartWith("correlation (filters not flipped), ").And.Contain("dilation 1x2")
        );
        var weights = Plan(GradWeights, [1, 1, 6, 6], [1, 1, 4, 4], """{"filter_shape": [1, 1, 3, 3]}""");
        Assert.That(weights.Explanation, Does.StartWith("gradient w.r.t. the filters of true convolution"));
        var inputs = Plan(GradInputs, [1, 1, 4, 4], [1, 1, 3, 3], """{"input_shape": [1, 1, 6, 6]}""");
        Assert.That(inputs.Explanation, Does.StartWith("gradient w.r.t. the input (transposed convolution) of true"));
    }

    /// <summary>
    /// Arrays of a rank the call cannot take, refused by name before any setting is read. Theano 1.0.5 refuses them
    /// when it builds the graph (conv2d: "TypeError: img must be 4D tensor", "kern must be 4D tensor"; conv3d: "img
    /// must be 5D tensor"; the legacy ConvOp: "requires input be a 4D tensor"); ConvParity says which array and why.
    /// </summary>
    [TestCase(Conv2d, new[] { 1, 6, 6 }, new[] { 1, 1, 3, 3 }, "{}", "input has shape [1, 6, 6] (3-D); 4-D expected.")]
    [TestCase(
        Conv2d,
        new[] { 1, 1, 6, 6 },
        new[] { 1, 3, 3 },
        "{}",
        "filters has shape [1, 3, 3] (3-D); 4-D expected."
    )]
    [TestCase(
        Conv2d,
        new[] { 1, 1, 6, 6 },
        new[] { 1, 1, 3, 3 },
        """{"unshared": true}""",
        "filters has shape [1, 1, 3, 3] (4-D); 6-D expected."
    )]
    [TestCase(
        Conv3d,
        new[] { 1, 1, 6, 6 },
        new[] { 1, 1, 3, 3, 3 },
        "{}",
        "input has shape [1, 1, 6, 6] (4-D); 5-D expected."
    )]
    [TestCase(
        Conv3d,
        new[] { 1, 1, 6, 6, 6 },
        new[] { 1, 1, 3, 3 },
        "{}",
        "filters has shape [1, 1, 3, 3] (4-D); 5-D expected."
    )]
    [TestCase(
        GradInputs,
        new[] { 1, 1, 4, 4 },
        new[] { 1, 1, 3, 3 },
        """{"input_shape": [1, 6, 6]}""",
        "input_shape has shape [1, 6, 6] (3-D); 4-D expected."
    )]
    [TestCase(
        GradInputs,
        new[] { 1, 1, 4, 4 },
        new[] { 1, 3, 3 },
        """{"input_shape": [1, 1, 6, 6]}""",
        "filters has shape [1, 3, 3] (3-D); 4-D expected."
    )]
    [TestCase(
        GradInputs,
        new[] { 1, 1, 4, 4 },
        new[] { 1, 1, 3, 3 },
        """{"input_shape": [1, 1, 6, 6], "unshared": true}""",
        "filters has shape [1, 1, 3, 3] (4-D); 6-D expected."
    )]
    [TestCase(Legacy, new[] { 1, 6, 6 }, new[] { 1, 1, 3, 3 }, "{}", "input has shape [1, 6, 6] (3-D); 4-D expected.")]
    [TestCase(
        Legacy,
        new[] { 1, 1, 6, 6 },
        new[] { 1, 3, 3 },
        "{}",
        "filters has shape [1, 3, 3] (3-D); 4-D expected."
    )]
    [TestCase(Dnn, new[] { 1, 6, 6 }, new[] { 1, 1, 3, 3 }, "{}", "img has shape [1, 6, 6] (3-D); 4 or 5-D expected.")]
    [TestCase(
        Dnn,
        new[] { 1, 1, 6, 6 },
        new[] { 1, 1, 1, 3, 3 },
        "{}",
        "kerns has shape [1, 1, 1, 3, 3] (5-D); 4-D expected."
    )]
    public void Arrays_of_the_wrong_rank_are_refused_by_name(
        string call,
        int[] first,
        int[] second,
        string kwargs,
        string message
    )
    {
        var refusal = Assert.Throws<InvalidCallException>(() => Plan(call, first, second, kwargs));
        Assert.That(refusal!.Message, Does.EndWith(message));
    }

    [Test]
    public void A_third_array_is_refused()
    {
        var refusal = Assert.Throws<InvalidCallException>(() =>
            ConventionRegistry.Plan(
                Conv2d,
                [
                    [1, 1, 6, 6],
                    [1, 1, 3, 3],
                    [1],
                ],
                new JsonObject()
            )
        );
        Assert.That(refusal!.Message, Does.EndWith("takes 2 array arguments; 3 given."));
    }

    [Test]
    public void Settings_theano_takes_as_they_are()
    {
        // Theano 1.0.5: conv2d on a (1, 1, 6, 6) input and (1, 1, 3, 3) filters answers (1, 1, 4, 4) with
        // image_shape=(1, 1, 5, 5) (a deprecated hint it does not check) and with border_mode=0 (no padding).
        Assert.That(
            Plan(Conv2d, [1, 1, 6, 6], [1, 1, 3, 3], """{"image_shape": [1, 1, 5, 5]}""").ResultShape,
            Is.EqualTo(new[] { 1, 1, 4, 4 })
        );
        var zero = Plan(Conv2d, [1, 1, 6, 6], [1, 1, 3, 3], """{"border_mode": 0}""");
        Assert.That(zero.ResultShape, Is.EqualTo(new[] { 1, 1, 4, 4 }));
        Assert.That(zero.Problem.PadBefore, Is.EqualTo(new[] { 0, 0 }));
    }

    [Test]
    public void The_legacy_calls_convolve()
    {
        // Theano 1.0.5's conv.conv2d answered -2.550051 at [0, 0, 0, 0] for random (1, 1, 6, 6) and (1, 1, 3, 3)
        // arrays: the sum with the filters flipped (-2.5500510); unflipped, 1.0030198.
        Assert.That(Plan(Legacy, [1, 1, 6, 6], [1, 1, 3, 3]).Problem.Flip, Is.True);
        var signal = Plan(Signal, [5, 6], [3, 3]);
        Assert.That(signal.Problem.Flip, Is.True);
        Assert.That(signal.Problem.InputShape, Is.EqualTo(new[] { 1, 1, 5, 6 }), "a 2-D input is one image");
        Assert.That(signal.ResultShape, Is.EqualTo(new[] { 3, 4 }));
    }

    [Test]
    public void A_gradient_with_no_output_gets_convparitys_reason_alone()
    {
        // Theano's words for an empty output are known for conv2d/conv3d and the legacy calls only.
        var refusal = Assert.Throws<InvalidCallException>(() =>
            Plan(GradWeights, [1, 1, 2, 2], [1, 1, 0, 0], """{"filter_shape": [1, 1, 3, 3]}""")
        );
        Assert.That(refusal!.Message, Does.StartWith(GradWeights + ": axis 0: the output is empty: input 2 "));
    }

    [Test]
    public void A_filter_shape_hint_is_checked_by_the_gradient_and_the_legacy_call()
    {
        // As for conv2d above: Theano does not check the hint; ConvParity names it.
        var gradient = Assert.Throws<InvalidCallException>(() =>
            Plan(GradInputs, [1, 1, 4, 4], [1, 1, 3, 3], """{"input_shape": [1, 1, 6, 6], "filter_shape": [1, 1, 3]}""")
        );
        Assert.That(gradient!.Keyword, Is.EqualTo("filter_shape"));
        Assert.That(gradient.Message, Does.EndWith("[1,1,3] does not match the array's shape [1, 1, 3, 3]"));
        var legacy = Assert.Throws<InvalidCallException>(() =>
            Plan(Legacy, [1, 1, 6, 6], [1, 1, 3, 3], """{"filter_shape": [1, 1, 3, 4]}""")
        );
        Assert.That(legacy!.Keyword, Is.EqualTo("filter_shape"));
        Assert.That(legacy.Message, Does.EndWith("[1,1,3,4] does not match the array's shape [1, 1, 3, 3]"));
    }

    [TestCase("conv", true)]
    [TestCase("cross", false)]
    public void Dnn_conv_mode_given(string mode, bool flip) =>
        Assert.That(
            Plan(Dnn, [1, 1, 5, 5], [1, 1, 3, 3], $$"""{"conv_mode": "{{mode}}"}""").Problem.Flip,
            Is.EqualTo(flip)
        );
}
