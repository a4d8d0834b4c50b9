using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Problems;

namespace ConvParity.Tests;

/// <summary>
/// onnx.Conv and onnx.ConvTranspose as the opset-11 operator spec (onnx 1.12) defines them: auto_pad's odd position,
/// the order of pads, output_padding and output_shape, W's layouts, B, and every refusal naming its attribute. The
/// ONNX authors' own outputs (fixtures/onnx) prove the rules on the engines.
/// </summary>
public sealed class OnnxConventionTests
{
    private static ConvPlan Plan(string call, int[] x, int[] w, string kwargs = "{}", int[]? b = null) =>
        ConventionRegistry.Plan(call, b is null ? [x, w] : [x, w, b], JsonNode.Parse(kwargs)!.AsObject());

    private static ConvPlan Conv(int[] x, int[] w, string kwargs = "{}") => Plan(OnnxConvention.Conv, x, w, kwargs);

    private static ConvPlan Transpose(int[] x, int[] w, string kwargs = "{}") =>
        Plan(OnnxConvention.ConvTranspose, x, w, kwargs);

    [Test]
    public void Conv_is_a_correlation_with_no_padding_by_default()
    {
        var plan = Conv([2, 3, 7, 6], [4, 3, 3, 2]);
        Assert.That(plan.Problem.Flip, Is.False);
        Assert.That(plan.Operation, Is.EqualTo(ConvOperation.Forward));
        Assert.That(plan.Problem.PadBefore.Concat(plan.Problem.PadAfter), Is.All.EqualTo(0));
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 2, 4, 5, 5 }));
    }

    [TestCase("SAME_UPPER", 6, 1, 1, 2, Description = "odd padding 3: the extra at the end")]
    [TestCase("SAME_LOWER", 6, 1, 2, 1, Description = "odd padding 3: the extra at the beginning")]
    [TestCase("SAME_UPPER", 6, 2, 0, 1, Description = "output ceil(6/2) = 3 takes 1 position of padding")]
    [TestCase("SAME_LOWER", 6, 2, 1, 0)]
    [TestCase("SAME_UPPER", 5, 2, 1, 1)]
    [TestCase("VALID", 6, 1, 0, 0)]
    [TestCase("NOTSET", 6, 1, 0, 0)]
    public void Conv_auto_pad(string autoPad, int size, int stride, int before, int after)
    {
        int kernel = stride == 1 ? 4 : 3;
        var plan = Conv([1, 1, size], [1, 1, kernel], $$"""{"auto_pad": "{{autoPad}}", "strides": [{{stride}}]}""");
        Assert.That(plan.Problem.PadBefore[0], Is.EqualTo(before), "before");
        Assert.That(plan.Problem.PadAfter[0], Is.EqualTo(after), "after");
        if (autoPad.StartsWith("SAME", StringComparison.Ordinal))
            Assert.That(plan.ResultShape[2], Is.EqualTo((size + stride - 1) / stride), "ceil(in / stride)");
    }

    [Test]
    public void Pads_list_every_beginning_then_every_end()
    {
        var plan = Conv([1, 1, 9, 9, 9], [1, 1, 3, 3, 3], """{"pads": [1, 2, 3, 4, 5, 6]}""");
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(plan.Problem.PadAfter, Is.EqualTo(new[] { 4, 5, 6 }));
    }

    [Test]
    public void Conv_groups_and_dilations()
    {
        var plan = Conv([1, 6, 10], [9, 2, 3], """{"group": 3, "dilations": [2], "strides": [2]}""");
        Assert.That(plan.Problem.Groups, Is.EqualTo(3));
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 1, 9, 3 }), "(10 - 5) / 2 + 1");
    }

    [Test]
    public void ConvTranspose_is_the_gradient_of_the_conv_with_W_as_it_is()
    {
        // X (N, C, ...), W (C, M/group, k...): 4 channels in, 2 groups of 3 out.
        var plan = Transpose([2, 4, 5], [4, 3, 3], """{"group": 2, "strides": [2]}""");
        Assert.That(plan.Operation, Is.EqualTo(ConvOperation.GradInput));
        Assert.That(plan.Problem.WeightShape, Is.EqualTo(new[] { 4, 3, 3 }), "W is the forward problem's weights");
        Assert.That(plan.Problem.OutputShape, Is.EqualTo(new[] { 2, 4, 5 }), "X is the forward problem's output");
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 2, 6, 11 }), "2 * (5 - 1) + 3");
        Assert.That(plan.Problem.Flip, Is.False);
    }

    [TestCase("""{"strides": [3, 2], "pads": [1, 2, 1, 2]}""", 7, 3, 1, 2)]
    [TestCase("""{"strides": [3, 2], "output_padding": [1, 1]}""", 10, 8, 0, 0)]
    [TestCase("""{"strides": [3, 2], "output_shape": [10, 8]}""", 10, 8, 0, 0)]
    [TestCase("""{"strides": [2, 2], "auto_pad": "SAME_UPPER"}""", 6, 6, 0, 0)]
    [TestCase("""{"strides": [2, 2], "auto_pad": "SAME_LOWER"}""", 6, 6, 1, 1)]
    [TestCase("""{"strides": [3, 2], "output_shape": [8, 6]}""", 8, 6, 1, 1)]
    [TestCase("""{"strides": [3, 2], "output_shape": [8, 6], "auto_pad": "SAME_UPPER"}""", 8, 6, 0, 0)]
    [TestCase("""{"strides": [3, 2], "output_shape": [10, 8], "pads": [4, 4, 4, 4]}""", 10, 8, 0, 0)]
    public void ConvTranspose_output_size_and_the_pads_it_implies(
        string kwargs,
        int height,
        int width,
        int beginH,
        int beginW
    )
    {
        var plan = Transpose([1, 1, 3, 3], [1, 2, 3, 3], kwargs);
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 1, 2, height, width }));
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { beginH, beginW }), "pads at the beginning");
        Assert.That(plan.Problem.OutputSize, Is.EqualTo(new[] { 3, 3 }), "the forward view gives X's size back");
    }

    [Test]
    public void ConvTranspose_output_spans_the_dilated_kernel()
    {
        // ONNX's node test test_convtranspose_dilations: X (1, 1, 3, 3), W (1, 1, 2, 2), dilations [2, 2] give
        // Y (1, 1, 5, 5): (3 - 1) + (2 - 1) * 2 + 1 per axis.
        var plan = Transpose([1, 1, 3, 3], [1, 1, 2, 2], """{"dilations": [2, 2]}""");
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 1, 1, 5, 5 }));
    }

    [Test]
    public void An_output_shape_one_past_the_full_output_is_output_padding()
    {
        // total_padding = -1: floor(-1 / 2) = -1, so no position at the beginning and one more at the end.
        var shape = Transpose([1, 1, 3, 3], [1, 2, 3, 3], """{"strides": [3, 2], "output_shape": [10, 8]}""");
        var padding = Transpose([1, 1, 3, 3], [1, 2, 3, 3], """{"strides": [3, 2], "output_padding": [1, 1]}""");
        Assert.That(shape.Problem, Is.EqualTo(padding.Problem));
    }

    [Test]
    public void B_adds_one_value_per_output_channel()
    {
        var conv = Plan(OnnxConvention.Conv, [1, 2, 5], [3, 2, 3], "{}", [3]);
        var transpose = Plan(OnnxConvention.ConvTranspose, [1, 2, 5], [2, 3, 3], """{"group": 2}""", [6]);
        Assert.That(conv.Problem.Bias && conv.ArrayCount == 3, Is.True);
        Assert.That(transpose.Problem.BiasShape(ConvOperation.GradInput), Is.EqualTo(new[] { 6 }));
        Assert.That(Conv([1, 2, 5], [3, 2, 3]).Problem.Bias, Is.False);
        var wrong = Assert.Throws<InvalidCallException>(() =>
            Plan(OnnxConvention.Conv, [1, 2, 5], [3, 2, 3], "{}", [2])
        );
        Assert.That(wrong!.Keyword, Is.EqualTo("B"));
        Assert.That(ConventionRegistry.Refusal(OnnxConvention.Conv, 3), Is.Null);
        Assert.That(ConventionRegistry.Refusal(OnnxConvention.Conv, 4), Does.Contain("2 to 3"));
    }

    [TestCase("onnx.Conv", """{"auto_pad": "SAME"}""", "auto_pad")]
    [TestCase("onnx.Conv", """{"auto_pad": 1}""", "auto_pad")]
    [TestCase("onnx.Conv", """{"auto_pad": "VALID", "pads": [0, 0, 0, 0]}""", "pads")]
    [TestCase("onnx.Conv", """{"pads": [1, 1]}""", "pads")]
    [TestCase("onnx.Conv", """{"pads": [1, -1, 1, 1]}""", "pads")]
    [TestCase("onnx.Conv", """{"strides": [1, 0]}""", "strides")]
    [TestCase("onnx.Conv", """{"strides": 2}""", "strides")]
    [TestCase("onnx.Conv", """{"dilations": [1, 1, 1]}""", "dilations")]
    [TestCase("onnx.Conv", """{"dilations": [1, 1.5]}""", "dilations")]
    [TestCase("onnx.Conv", """{"kernel_shape": [3, 2]}""", "kernel_shape")]
    [TestCase("onnx.Conv", """{"group": 2}""", "group")]
    [TestCase("onnx.Conv", """{"group": 0}""", "group")]
    [TestCase("onnx.Conv", """{"group": null}""", "group")]
    [TestCase("onnx.ConvTranspose", """{"group": 4}""", "group")]
    [TestCase("onnx.ConvTranspose", """{"output_padding": [2, 0], "strides": [2, 2]}""", "output_padding")]
    [TestCase("onnx.ConvTranspose", """{"output_padding": [-1, 0]}""", "output_padding")]
    [TestCase("onnx.ConvTranspose", """{"output_shape": [5]}""", "output_shape")]
    [TestCase("onnx.ConvTranspose", """{"output_shape": [0, 5]}""", "output_shape")]
    [TestCase("onnx.ConvTranspose", """{"output_shape": [2, 3, 7, 7]}""", "output_shape")]
    [TestCase("onnx.ConvTranspose", """{"pads": [4, 4, 4, 4]}""", "pads")]
    public void The_spec_refuses_by_attribute(string call, string kwargs, string attribute)
    {
        // X (1, 3, 5, 5); Conv's W (3, 3, 3, 3); ConvTranspose's W (3, 1, 3, 3), C = 3.
        int[] w = call == OnnxConvention.Conv ? [3, 3, 3, 3] : [3, 1, 3, 3];
        var refusal = Assert.Throws<InvalidCallException>(() => Plan(call, [1, 3, 5, 5], w, kwargs));
        Assert.That(refusal!.Keyword, Is.EqualTo(attribute), refusal.Message);
        Assert.That(refusal.Message, Does.Contain(call).And.Contain($"'{attribute}'"));
    }

    [Test]
    public void Shapes_the_spec_refuses_are_named()
    {
        Assert.Throws<InvalidCallException>(() => Conv([3, 5], [1, 3, 3]), "no spatial axis");
        Assert.Throws<InvalidCallException>(() => Conv([1, 3, 5, 5], [1, 3, 3]), "W's rank");
        Assert.Throws<InvalidCallException>(() => Conv([1, 3, 2, 2], [1, 3, 3, 3]), "an empty output");
        Assert.Throws<InvalidCallException>(() => Transpose([1, 3, 5, 5], [2, 1, 3, 3]), "W's C is not X's");
        var unknown = Assert.Throws<UnsupportedCallException>(() => Conv([1, 1, 5], [1, 1, 3], """{"bias": 1}"""));
        Assert.That(unknown!.Message, Does.Contain("bias"));
    }

    [Test]
    public void What_a_ConvProblem_cannot_hold_is_unsupported_by_name()
    {
        var fourD = Assert.Throws<UnsupportedCallException>(() => Conv([1, 1, 3, 3, 3, 3], [1, 1, 1, 1, 1, 1]));
        Assert.That(fourD!.Message, Does.Contain("4 spatial axes"));
        // output_shape 2 past the full output: one zero position before the first one an input reaches.
        var before = Assert.Throws<UnsupportedCallException>(() =>
            Transpose([1, 1, 3], [1, 1, 3], """{"output_shape": [9]}""")
        );
        Assert.That(before!.Message, Does.Contain("output_shape"));
    }

    [Test]
    public void Explain_says_a_convolution_in_onnx_words()
    {
        var conv = Conv([1, 2, 6, 7], [3, 2, 3, 3], """{"auto_pad": "SAME_LOWER", "strides": [2, 2]}""");
        Assert.That(Said(conv), Does.Contain("onnx Conv auto_pad=SAME_LOWER strides=[2, 2]"));
        var padded = Conv([1, 2, 6, 7], [4, 1, 3, 2], """{"pads": [0, 1, 2, 0], "dilations": [1, 2], "group": 2}""");
        Assert.That(Said(padded), Does.Contain("onnx Conv pads=[0, 1, 2, 0] dilations=[1, 2] group=2"));
        var transpose = Transpose([1, 1, 3, 3], [1, 2, 3, 3], """{"strides": [3, 2], "pads": [1, 2, 1, 2]}""");
        Assert.That(Said(transpose), Does.Contain("onnx ConvTranspose pads=[1, 2, 1, 2] strides=[3, 2]"));
        var extra = Transpose([1, 1, 3, 3], [1, 2, 3, 3], """{"strides": [3, 2], "output_shape": [10, 8]}""");
        Assert.That(Said(extra), Does.Contain("onnx ConvTranspose strides=[3, 2] output_padding=[1, 1]"));
    }

    /// <summary>What explain's vocabulary says of the plan's own answer on seeded arrays.</summary>
    private static IReadOnlyList<string> Said(ConvPlan plan)
    {
        var (first, second) = plan.OperandShapes;
        var x = RandomProblems.Tensor(first, 3);
        var w = RandomProblems.Tensor(second, 4);
        var engine = new ConvParity.Engines.ReferenceEngine();
        var y =
            plan.Operation == ConvOperation.Forward
                ? engine.Forward(plan.Problem, x, w)
                : engine.GradInput(plan.Problem, x, w);
        return ConvParity.Explaining.Vocabulary.Calls(ConvParity.Explaining.Hypothesis.FromPlan(plan), x, w, y);
    }

    [Test]
    public void Onnx_calls_are_never_answered_live()
    {
        Assert.That(
            ConventionRegistry.NotLive(OnnxConvention.Conv),
            Does.Contain("ONNX authors' own outputs").And.Contain("(fixtures/onnx)")
        );
        Assert.That(ConventionRegistry.NotLive("numpy.convolve"), Is.Null);
    }

    [Test]
    public void Null_arguments_and_array_counts_are_refused_before_anything_is_read()
    {
        var convention = new OnnxConvention();
        var kwargs = new Kwargs(OnnxConvention.Conv, []);
        Assert.Throws<ArgumentNullException>(() => convention.Plan(OnnxConvention.Conv, null!, kwargs));
        Assert.Throws<ArgumentNullException>(() =>
            convention.Plan(
                OnnxConvention.Conv,
                [
                    [1, 1, 3],
                    [1, 1, 1],
                ],
                null!
            )
        );
        var four = Assert.Throws<InvalidCallException>(() =>
            convention.Plan(
                OnnxConvention.Conv,
                [
                    [1, 1, 3],
                    [1, 1, 1],
                    [1],
                    [1],
                ],
                kwargs
            )
        );
        Assert.That(four!.Message, Does.Contain("takes 2 array arguments and an optional B; 4 given."));
        var one = Assert.Throws<InvalidCallException>(() =>
            convention.Plan(
                OnnxConvention.Conv,
                [
                    [1, 1, 3],
                ],
                kwargs
            )
        );
        Assert.That(one!.Message, Does.Contain("takes 2 array arguments and an optional B; 1 given."));
    }

    /// <summary>
    /// Each refusal names its attribute and says why, in the words of the opset-11 spec. X (1, 3, 5, 5) unless
    /// given; W as given.
    /// </summary>
    [TestCase(
        "onnx.Conv",
        new[] { 3, 5 },
        new[] { 3, 3, 3 },
        "{}",
        null,
        "X has shape [3, 5] (2-D); (N, C, D1, ...) " + "with at least one spatial axis expected."
    )]
    [TestCase("onnx.Conv", null, new[] { 1, 3, 3 }, "{}", null, "W has shape [1, 3, 3] (3-D); 4-D expected.")]
    [TestCase("onnx.Conv", null, new[] { 3, 3, 0, 3 }, "{}", null, "W [3, 3, 0, 3] has an empty kernel axis.")]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"auto_pad": "SAME"}""",
        "auto_pad",
        "\"SAME\" is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID (a STRING attribute)"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"auto_pad": "VALID", "pads": [0, 0, 0, 0]}""",
        "pads",
        "cannot be used together with auto_pad VALID (only with NOTSET)"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"pads": [1, -1, 1, 1]}""",
        "pads",
        "[1, -1, 1, 1]: every entry must be at least 0"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"pads": [-2147483648, 0, 0, 0]}""",
        "pads",
        "[-2147483648, 0, 0, 0]: every entry must be at least 0",
        Description = "the least INT32 is an integer"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"strides": [3000000000, 1]}""",
        "strides",
        "[3000000000,1]: entry 0 is not an integer",
        Description = "past INT32"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"strides": 2}""",
        "strides",
        "2 is not a list of integers (an INTS attribute)"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"dilations": [1, 1, 1]}""",
        "dilations",
        "[1,1,1] has 3 entries; 2 expected"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"dilations": [1, 1.5]}""",
        "dilations",
        "[1,1.5]: entry 1 is not an integer"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"dilations": [1, 0]}""",
        "dilations",
        "[1, 0]: every entry must be at least 1"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"kernel_shape": [3, 2]}""",
        "kernel_shape",
        "[3, 2] is not the spatial shape of W [3, 3, 3, 3]"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"group": 2}""",
        "group",
        "2 groups of W's 3 channels each (W [3, 3, 3, 3]) do not make X's 3 channels (X [1, 3, 5, 5])"
    )]
    [TestCase(
        "onnx.Conv",
        new[] { 1, 2, 5 },
        new[] { 3, 1, 3 },
        """{"group": 2}""",
        "group",
        "W's 3 output channels are not divisible by 2 groups"
    )]
    [TestCase("onnx.Conv", null, new[] { 3, 3, 3, 3 }, """{"group": 0}""", "group", "0: it must be at least 1")]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"group": "1"}""",
        "group",
        "\"1\" is not an integer (an INT attribute)"
    )]
    [TestCase(
        "onnx.Conv",
        null,
        new[] { 3, 3, 3, 3 },
        """{"group": 1.5}""",
        "group",
        "1.5 is not an integer (an INT attribute)"
    )]
    [TestCase(
        "onnx.Conv",
        new[] { 1, 3, 2, 2 },
        new[] { 1, 3, 3, 3 },
        "{}",
        null,
        "the input with its pads is shorter than the dilated kernel: axis 0: the output is empty"
    )]
    [TestCase(
        "onnx.ConvTranspose",
        null,
        new[] { 2, 1, 3, 3 },
        "{}",
        null,
        "W [2, 1, 3, 3] is (C, M/group, k...) with C = 2, but X [1, 3, 5, 5] has 3 channels."
    )]
    [TestCase(
        "onnx.ConvTranspose",
        null,
        new[] { 3, 1, 3, 3 },
        """{"group": 4}""",
        "group",
        "X's 3 channels are not divisible by 4 groups"
    )]
    [TestCase(
        "onnx.ConvTranspose",
        new[] { 1, 2, 1 },
        new[] { 2, 1073741824, 1 },
        """{"group": 2}""",
        "group",
        "2 groups of 1073741824 output channels are too many"
    )]
    [TestCase(
        "onnx.ConvTranspose",
        null,
        new[] { 3, 1, 3, 3 },
        """{"output_padding": [2, 0], "strides": [2, 2]}""",
        "output_padding",
        "[2, 0]: each entry must be at least 0 and less than the axis's stride or its dilation "
            + "(axis 0: stride 2, dilation 1)"
    )]
    [TestCase(
        "onnx.ConvTranspose",
        null,
        new[] { 3, 1, 3, 3 },
        """{"output_shape": [2, 1, 7, 7]}""",
        "output_shape",
        "[2, 1, 7, 7] does not begin with N = 1 and M = 1",
        Description = "N wrong"
    )]
    [TestCase(
        "onnx.ConvTranspose",
        null,
        new[] { 3, 1, 3, 3 },
        """{"output_shape": [1, 3, 7, 7]}""",
        "output_shape",
        "[1, 3, 7, 7] does not begin with N = 1 and M = 1",
        Description = "M wrong"
    )]
    [TestCase(
        "onnx.ConvTranspose",
        null,
        new[] { 3, 1, 3, 3 },
        """{"output_shape": [0, 5]}""",
        "output_shape",
        "[0, 5]: every size must be at least 1"
    )]
    [TestCase(
        "onnx.ConvTranspose",
        null,
        new[] { 3, 1, 3, 3 },
        """{"pads": [4, 4, 4, 4]}""",
        "pads",
        "axis 0: the output has -1 positions (7 before its pads 4/4)"
    )]
    public void The_spec_refusals_say_why(string call, int[]? x, int[] w, string kwargs, string? attribute, string why)
    {
        var refusal = Assert.Throws<InvalidCallException>(() => Plan(call, x ?? [1, 3, 5, 5], w, kwargs));
        Assert.That(refusal!.Keyword, Is.EqualTo(attribute), refusal.Message);
        Assert.That(refusal.Message, Does.Contain(why));
    }

    [Test]
    public void A_B_of_the_wrong_length_for_ConvTranspose_is_named_B()
    {
        // ConvTranspose's output channels are W's M/group times group: 3 x 2 = 6 (shape inference of onnx 1.12 gives
        // Y (1, 6, 7) for X (1, 2, 5), W (2, 3, 3), group 2).
        var wrong = Assert.Throws<InvalidCallException>(() =>
            Plan(OnnxConvention.ConvTranspose, [1, 2, 5], [2, 3, 3], """{"group": 2}""", [3])
        );
        Assert.That(wrong!.Keyword, Is.EqualTo("B"));
    }

    /// <summary>Output shapes as onnx 1.12's shape inference (onnx.shape_inference.infer_shapes, opset 11) gives
    /// them.</summary>
    [TestCase(
        "onnx.Conv",
        new[] { 1, 1, 5 },
        new[] { 1, 1, 1 },
        """{"auto_pad": "SAME_UPPER", "strides": [3]}""",
        new[] { 1, 1, 2 },
        Description = "SAME with a stride past the kernel: no padding, never less than none"
    )]
    [TestCase(
        "onnx.Conv",
        new[] { 1, 1, 5 },
        new[] { 1, 1, 3 },
        """{"strides": [2147483647]}""",
        new[] { 1, 1, 1 },
        Description = "the largest INT32 stride"
    )]
    [TestCase("onnx.Conv", new[] { 1, 3, 5, 5 }, new[] { 3, 3, 3, 3 }, """{"group": 1}""", new[] { 1, 3, 3, 3 })]
    [TestCase(
        "onnx.ConvTranspose",
        new[] { 1, 1, 1 },
        new[] { 1, 1, 1 },
        "{}",
        new[] { 1, 1, 1 },
        Description = "an output of one position"
    )]
    [TestCase(
        "onnx.ConvTranspose",
        new[] { 1, 1, 1 },
        new[] { 1, 1, 1 },
        """{"output_shape": [1]}""",
        new[] { 1, 1, 1 }
    )]
    [TestCase(
        "onnx.ConvTranspose",
        new[] { 1, 1, 3, 3 },
        new[] { 1, 2, 3, 3 },
        """{"strides": [3, 2], "output_shape": [10, 8], "pads": [-1, -1, -1, -1]}""",
        new[] { 1, 2, 10, 8 },
        Description = "the spec: if output_shape is specified pads values are ignored"
    )]
    public void Output_shapes_as_onnx_infers_them(string call, int[] x, int[] w, string kwargs, int[] y)
    {
        var plan = Plan(call, x, w, kwargs);
        Assert.That(plan.ResultShape, Is.EqualTo(y));
        Assert.That(plan.Problem.PadBefore.Concat(plan.Problem.PadAfter), Is.All.GreaterThanOrEqualTo(0));
    }

    [Test]
    public void Output_shape_may_name_N_and_M_too()
    {
        // fixtures/onnx test_convtranspose_output_shape gives output_shape [10, 8]; the whole shape (N, M, 10, 8) says
        // the same.
        var spatial = Transpose([1, 1, 3, 3], [1, 2, 3, 3], """{"strides": [3, 2], "output_shape": [10, 8]}""");
        var whole = Transpose([1, 1, 3, 3], [1, 2, 3, 3], """{"strides": [3, 2], "output_shape": [1, 2, 10, 8]}""");
        Assert.That(whole.Problem, Is.EqualTo(spatial.Problem));
        Assert.That(whole.ResultShape, Is.EqualTo(new[] { 1, 2, 10, 8 }));
    }

    [Test]
    public void Output_positions_no_input_reaches_are_unsupported_by_name()
    {
        // Both are valid ONNX (shape inference gives Y (1, 1, 11) and (1, 1, 6)); a ConvProblem cannot hold them.
        var dilated = Assert.Throws<UnsupportedCallException>(() =>
            Transpose([1, 1, 3], [1, 1, 3], """{"dilations": [3], "output_padding": [2]}""")
        );
        Assert.That(dilated!.Argument, Is.EqualTo("output_padding"));
        Assert.That(
            dilated.Message,
            Does.Contain(
                "axis 0: the output reaches 2 position(s) past the last that an input element reaches, more than the "
                    + "stride covers; a ConvProblem pads by at least 0"
            )
        );
        var shaped = Assert.Throws<UnsupportedCallException>(() =>
            Transpose([1, 1, 3], [1, 1, 3], """{"output_shape": [6]}""")
        );
        Assert.That(shaped!.Argument, Is.EqualTo("output_shape"));
        Assert.That(shaped.Message, Does.Contain("axis 0: the output reaches 1 position(s) past the last"));
        var before = Assert.Throws<UnsupportedCallException>(() =>
            Transpose([1, 1, 3], [1, 1, 3], """{"output_shape": [9]}""")
        );
        Assert.That(
            before!.Message,
            Does.Contain(
                "axis 0: an output of 9 positions needs 2 zero position(s) before the transposed convolution's first "
                    + "one; a ConvProblem pads by at least 0"
            )
        );
    }

    [Test]
    public void The_explanation_says_the_plan_in_words()
    {
        // fixtures/onnx test_conv_with_autopad_same and test_convtranspose_pads (with a B), whose plans the ONNX
        // authors' outputs prove.
        var conv = Conv([1, 1, 5, 5], [1, 1, 3, 3], """{"auto_pad": "SAME_LOWER", "strides": [2, 2]}""");
        Assert.That(
            conv.Explanation,
            Is.EqualTo(
                "correlation (filters not flipped), auto_pad SAME_LOWER, pads before/after 1/1, 1/1, stride 2x2, "
                    + "dilation 1x1, groups 1"
            )
        );
        var transpose = Plan(
            OnnxConvention.ConvTranspose,
            [1, 1, 3, 3],
            [1, 2, 3, 3],
            """{"strides": [3, 2], "pads": [1, 2, 1, 2]}""",
            [2]
        );
        Assert.That(
            transpose.Explanation,
            Is.EqualTo(
                "transposed convolution (gradient w.r.t. the input of the correlation) of correlation (filters not "
                    + "flipped), auto_pad NOTSET, pads before/after 1/1, 2/2, stride 3x2, dilation 1x1, groups 1, "
                    + "plus B per output channel"
            )
        );
    }
}
