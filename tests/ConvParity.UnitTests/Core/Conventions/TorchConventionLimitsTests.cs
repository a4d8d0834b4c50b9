using System.Text.Json.Nodes;
using ConvParity.Conventions;

namespace ConvParity.Tests;

/// <summary>torch's calls at and around each limit TorchConvention checks: what torch 1.13.1 (Debian's python3-torch,
/// called with zeros of these shapes) answers, and what it refuses. Each refusal names the argument torch names.
/// </summary>
public sealed class TorchConventionLimitsTests
{
    private static ConvPlan Plan(string call, JsonObject kwargs, params int[][] shapes) =>
        ConventionRegistry.Plan(call, shapes, kwargs);

    private static ConvPlan Plan(string call, string kwargs, int[] first, int[] second) =>
        Plan(call, (JsonObject)JsonNode.Parse(kwargs)!, first, second);

    /// <summary>Calls torch refuses, each refused by the check that owns it (torch's words where ours differ are in
    /// the Description).</summary>
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3 },
        "{}",
        null,
        "RuntimeError: weight of size [6, 4, 3]: a 4-D weight (out, in/groups, k...) with every size at least 1 is "
            + "expected",
        Description = "torch: expected stride to be a single integer value or a list of 1 values"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 0, 3 },
        "{}",
        null,
        "weight of size [6, 4, 0, 3]: a 4-D weight",
        Description = "torch: kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 3"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3 },
        "{}",
        null,
        "weight of size [4, 3, 3]: a 4-D weight",
        Description = "torch: expected stride to be a single integer value or a list of 1 values"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 0, 3 },
        "{}",
        null,
        "weight of size [4, 3, 0, 3]: a 4-D weight",
        Description = "torch: kernel size should be greater than zero"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3 },
        new[] { 1, 3, 3, 3 },
        """{"input_size": [1, 4, 5, 5]}""",
        null,
        "weight of size [3, 4, 3]: a 4-D weight",
        Description = "torch: expected stride to be a single integer value or a list of 1 values"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 0, 3 },
        new[] { 1, 3, 6, 3 },
        """{"input_size": [1, 4, 5, 5]}""",
        null,
        "weight of size [3, 4, 0, 3]: a 4-D weight",
        Description = "torch: kernel size should be greater than zero"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_weight",
        new[] { 1, 4, 5, 5 },
        new[] { 1, 3, 3, 3 },
        """{"weight_size": [3, 4, 3]}""",
        "weight_size",
        "weight of size [3, 4, 3]: a 4-D weight",
        Description = "torch: expected stride to be a single integer value or a list of 1 values"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_weight",
        new[] { 1, 4, 5, 5 },
        new[] { 1, 3, 6, 3 },
        """{"weight_size": [3, 4, 0, 3]}""",
        "weight_size",
        "weight of size [3, 4, 0, 3]: a 4-D weight",
        Description = "torch: kernel size should be greater than zero"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"padding": [-1, 0]}""",
        "padding",
        "RuntimeError: negative padding is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"stride": [1, 0]}""",
        "stride",
        "RuntimeError: non-positive stride is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"dilation": 0}""",
        "dilation",
        "RuntimeError: dilation should be greater than zero",
        Description = "torch: ..., but got dilation_height: 0, dilation_width: 0"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_weight",
        new[] { 1, 4, 5, 5 },
        new[] { 1, 3, 3, 4 },
        """{"weight_size": [3, 4, 3, 3]}""",
        null,
        "RuntimeError: Expected a tensor of dimension 4 and tensor.size[3] == 3 but got: dimension 4 and "
            + "tensor.size[3] = 4"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_weight",
        new[] { 1, 4, 5, 5 },
        new[] { 3, 3, 3 },
        """{"weight_size": [3, 4, 3, 3]}""",
        null,
        "RuntimeError: Expected input and grad_output to have the same number of dimensions, but got: 4 and 3"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3, 3 },
        new[] { 3, 3, 3 },
        """{"input_size": [1, 4, 5, 5]}""",
        null,
        "RuntimeError: Expected input and grad_output to have the same number of dimensions, but got: 4 and 3"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3, 3 },
        new[] { 1, 3, 5, 5 },
        """{"input_size": [1, 4, 5, 5], "padding": -1}""",
        "padding",
        "RuntimeError: negative padding is not supported"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3, 3 },
        new[] { 1, 3, 3, 3 },
        """{"input_size": [1, 4, 5, 5], "stride": 0}""",
        "stride",
        "RuntimeError: non-positive stride is not supported"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3, 3 },
        new[] { 1, 3, 3, 3 },
        """{"input_size": [1, 4, 5, 5], "dilation": 0}""",
        "dilation",
        "RuntimeError: dilation should be greater than zero, but got [0, 0]"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_weight",
        new[] { 1, 4, 5, 5 },
        new[] { 1, 3, 5, 5 },
        """{"weight_size": [3, 4, 3, 3], "padding": -1}""",
        "padding",
        "RuntimeError: negative padding is not supported"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3, 3 },
        new[] { 1, 3, 3, 3 },
        """{"input_size": [1, 5, 5, 5]}""",
        null,
        "RuntimeError: Given groups=1, weight of size [3, 4, 3, 3], expected input[1, 5, 5, 5] to have 4 channels, "
            + "but got 5 channels instead"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_weight",
        new[] { 1, 5, 5, 5 },
        new[] { 1, 3, 3, 3 },
        """{"weight_size": [3, 4, 3, 3]}""",
        null,
        "RuntimeError: Given groups=1, weight of size [3, 4, 3, 3], expected input[1, 5, 5, 5] to have 4 channels, "
            + "but got 5 channels instead"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 3, 3 },
        new[] { 1, 3, 3, 3 },
        """{"input_size": [1, 8, 5, 5], "groups": 2}""",
        "groups",
        "RuntimeError: Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size "
            + "[[3, 4, 3, 3]] instead",
        Description = "the functional words, not the module's ValueError"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"groups": 3}""",
        "groups",
        "RuntimeError: Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size "
            + "[[4, 3, 3, 3]] instead",
        Description = "the functional words, not the module's ValueError"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": "same", "stride": [1, 2]}""",
        "padding",
        "RuntimeError: padding='same' is not supported for strided convolutions"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": "same", "stride": [2, 1]}""",
        "padding",
        "RuntimeError: padding='same' is not supported for strided convolutions"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"output_padding": [-1, 0]}""",
        "output_padding",
        "RuntimeError: negative output_padding is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"stride": 2, "padding": 1, "output_padding": [2, 0]}""",
        "output_padding",
        "RuntimeError: output padding must be smaller than either stride or dilation, but got output_padding_height: "
            + "2 output_padding_width: 0 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1",
        Description = "one axis at the stride is enough"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"dilation": 2, "padding": 2, "output_padding": 2}""",
        "output_padding",
        "RuntimeError: output padding must be smaller than either stride or dilation, but got output_padding_height: "
            + "2 output_padding_width: 2 stride_height: 1 stride_width: 1 dilation_height: 2 dilation_width: 2",
        Description = "output_padding equal to the dilation (and above the stride)"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose1d",
        new[] { 1, 4, 5 },
        new[] { 4, 3, 3 },
        """{"stride": 2, "output_padding": 2}""",
        "output_padding",
        "RuntimeError: output padding must be smaller than either stride or dilation, but got output_padding_height: "
            + "0 output_padding_width: 2 stride_height: 1 stride_width: 2 dilation_height: 1 dilation_width: 1",
        Description = "torch 1.13 runs conv_transpose1d as 2-D and says so"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 1, 1, 3 },
        new[] { 1, 1, 1, 1 },
        """{"padding": [1, 0]}""",
        null,
        "RuntimeError: Given input size per channel: (1 x 3). Calculated output size per channel: (-1 x 3). Output "
            + "size is too small",
        Description = "one axis too small is enough"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": [-1, 0]}""",
        "padding",
        "RuntimeError: negative padding is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": [0, -1]}""",
        "padding",
        "RuntimeError: negative padding is not supported"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"stride": [0, 1]}""",
        "stride",
        "RuntimeError: non-positive stride is not supported"
    )]
    [TestCase(
        "torch.nn.Conv1d",
        new[] { 1, 1, 2 },
        new[] { 1, 1, 4 },
        """{"padding": "same", "padding_mode": "reflect"}""",
        "padding",
        "RuntimeError: Argument #4: Padding size should be less than the corresponding input dimension, but got: "
            + "padding (1, 2) at dimension 2 of input [1, 1, 2]",
        Description = "only the pad after reaches the input's length"
    )]
    [TestCase(
        "torch.nn.Conv1d",
        new[] { 1, 1, 1 },
        new[] { 1, 1, 4 },
        """{"padding": "same", "padding_mode": "circular"}""",
        "padding",
        "RuntimeError: Padding value causes wrapping around more than once.",
        Description = "only the pad after (2) passes the input's length (1)"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 2, 5 },
        new[] { 6, 4, 3, 3 },
        "{}",
        null,
        "RuntimeError: Calculated padded input size per channel: (2 x 5). Kernel size: (3 x 3). Kernel size can't be "
            + "greater than actual input size",
        Description = "one axis too short is enough"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 1, 2 },
        new[] { 6, 4, 5, 5 },
        """{"padding": [1, 0]}""",
        null,
        "RuntimeError: Calculated padded input size per channel: (3 x 2). Kernel size: (5 x 5). Kernel size can't be "
            + "greater than actual input size"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 3, 3 },
        new[] { 6, 4, 3, 3 },
        """{"dilation": [2, 1]}""",
        null,
        "RuntimeError: Calculated padded input size per channel: (3 x 3). Kernel size: (5 x 3). Kernel size can't be "
            + "greater than actual input size"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 0, 4, 2, 3 },
        new[] { 6, 4, 3, 3 },
        "{}",
        null,
        "RuntimeError: Calculated padded input size per channel: (2 x 3). Kernel size: (3 x 3). Kernel size can't be "
            + "greater than actual input size",
        Description = "an empty batch too short is refused as any other"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_input",
        new[] { 3, 4, 5, 5 },
        new[] { 1, 3, 1, 1 },
        """{"input_size": [1, 4, 2, 2], "padding": 1}""",
        null,
        "RuntimeError: Calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5). Kernel size can't be "
            + "greater than actual input size"
    )]
    public void Refused_where_torch_refuses_naming_the_argument(
        string call,
        int[] first,
        int[] second,
        string kwargs,
        string? keyword,
        string message
    )
    {
        var refusal = Assert.Throws<InvalidCallException>(() => Plan(call, kwargs, first, second));
        Assert.That(refusal!.Message, Does.Contain(message));
        Assert.That(refusal.Keyword, Is.EqualTo(keyword));
    }

    /// <summary>The calls just inside each limit, with the shape torch gives.</summary>
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": "same", "stride": [1, 1]}""",
        new[] { 1, 6, 5, 5 }
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"stride": 2, "padding": 1, "output_padding": [1, 0]}""",
        new[] { 1, 3, 10, 9 },
        Description = "output_padding one below the stride"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"dilation": 2, "padding": 1, "output_padding": 1}""",
        new[] { 1, 3, 8, 8 },
        Description = "output_padding one below the dilation, at the stride"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose1d",
        new[] { 4, 5 },
        new[] { 4, 3, 3 },
        "{}",
        new[] { 3, 7 },
        Description = "unbatched: no batch axis in the result"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 4, 5, 5 },
        new[] { 4, 3, 3, 3 },
        """{"stride": 2}""",
        new[] { 3, 11, 11 },
        Description = "unbatched: no batch axis in the result"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose1d",
        new[] { 1, 1, 1 },
        new[] { 1, 1, 1 },
        "{}",
        new[] { 1, 1, 1 },
        Description = "an output of size 1"
    )]
    [TestCase(
        "torch.nn.Conv1d",
        new[] { 1, 1, 3 },
        new[] { 1, 1, 4 },
        """{"padding": "same", "padding_mode": "reflect"}""",
        new[] { 1, 1, 3 },
        Description = "reflect pads (1, 2), one below the input's length"
    )]
    [TestCase(
        "torch.nn.Conv1d",
        new[] { 1, 1, 5 },
        new[] { 1, 1, 3 },
        """{"padding": 4, "padding_mode": "reflect"}""",
        new[] { 1, 1, 11 }
    )]
    [TestCase(
        "torch.nn.Conv1d",
        new[] { 1, 1, 2 },
        new[] { 1, 1, 4 },
        """{"padding": "same", "padding_mode": "circular"}""",
        new[] { 1, 1, 2 },
        Description = "circular pads (1, 2), the after one equal to the input's length"
    )]
    [TestCase(
        "torch.nn.Conv1d",
        new[] { 1, 1, 5 },
        new[] { 1, 1, 3 },
        """{"padding": 5, "padding_mode": "circular"}""",
        new[] { 1, 1, 13 }
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 3, 3 },
        new[] { 6, 4, 3, 3 },
        "{}",
        new[] { 1, 6, 1, 1 },
        Description = "the input exactly as long as the kernel"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 3 },
        new[] { 6, 4, 3, 3 },
        """{"dilation": [2, 1]}""",
        new[] { 1, 6, 1, 1 },
        Description = "the input exactly as long as the dilated kernel"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 3, 3 },
        new[] { 6, 4, 3, 3 },
        """{"dilation": [2, 1], "padding": [1, 0]}""",
        new[] { 1, 6, 1, 1 },
        Description = "the padded input exactly as long as the dilated kernel"
    )]
    public void Answered_at_the_limit_with_torchs_shape(
        string call,
        int[] first,
        int[] second,
        string kwargs,
        int[] result
    ) => Assert.That(Plan(call, kwargs, first, second).ResultShape, Is.EqualTo(result));

    /// <summary>Calls torch answers that a ConvProblem cannot hold: unsupported, not a refusal in torch's
    /// name.</summary>
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 0, 4, 3, 3 },
        new[] { 6, 4, 3, 3 },
        "{}",
        null,
        "batch is 0",
        Description = "torch gives (0, 6, 1, 1); the input exactly as long as the kernel"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 0, 4, 1, 1 },
        new[] { 6, 4, 3, 3 },
        """{"padding": 1}""",
        null,
        "batch is 0",
        Description = "torch gives (0, 6, 1, 1); the padded input exactly as long as the kernel"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose1d",
        new[] { 1, 1, 3 },
        new[] { 1, 1, 1 },
        """{"stride": 2000000000}""",
        null,
        "the output (4000000001) is too large.",
        Description = "torch (on the meta device) gives (1, 1, 4000000001)"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose2d",
        new[] { 1, 1, 3, 1 },
        new[] { 1, 1, 1, 1 },
        """{"stride": [2000000000, 1]}""",
        null,
        "the output (4000000001 x 1) is too large.",
        Description = "torch (on the meta device) gives (1, 1, 4000000001, 1)"
    )]
    [TestCase(
        "torch.nn.functional.conv_transpose1d",
        new[] { 1, 1, 2 },
        new[] { 1, 1, 1 },
        """{"stride": 2147483646}""",
        null,
        "has 2147483647 elements",
        Description = "torch (on the meta device) gives (1, 1, 2147483647): an int, too many elements for an array"
    )]
    [TestCase(
        "torch.nn.grad.conv2d_weight",
        new[] { 0, 4, 5, 5 },
        new[] { 0, 3, 3, 3 },
        """{"weight_size": [3, 4, 3, 3]}""",
        null,
        "every size must be at least 1",
        Description = "torch gives (3, 4, 3, 3); the empty input is an array here, not weight_size"
    )]
    [TestCase(
        "torch.nn.functional.conv2d",
        new[] { 1, 4, 5, 5 },
        new[] { 6, 4, 3, 3 },
        """{"padding": 1, "padding_mode": "reflect"}""",
        "padding_mode",
        "unknown keyword argument",
        Description = "torch: TypeError, conv2d() received an invalid combination of arguments (only the module has it)"
    )]
    public void Unsupported_by_name_where_a_ConvProblem_cannot_say(
        string call,
        int[] first,
        int[] second,
        string kwargs,
        string? argument,
        string message
    )
    {
        var refusal = Assert.Throws<UnsupportedCallException>(() => Plan(call, kwargs, first, second));
        Assert.That(refusal!.Message, Does.Contain(message));
        Assert.That(refusal.Argument, Is.EqualTo(argument));
    }

    [Test]
    public void A_third_array_for_torch_nn_grad_is_refused_by_count()
    {
        // torch.nn.grad.conv2d_input((1, 4, 5, 5), w, grad_output, b) takes b for stride: RuntimeError.
        const string call = "torch.nn.grad.conv2d_input";
        var kwargs = new Kwargs(call, new JsonObject { ["input_size"] = new JsonArray(1, 4, 5, 5) });
        Assert.That(
            () =>
                new TorchConvention().Plan(
                    call,
                    [
                        [3, 4, 3, 3],
                        [1, 3, 3, 3],
                        [3],
                    ],
                    kwargs
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.Contains("takes 2 array arguments; 3 given.")
                .And.Property(nameof(InvalidCallException.Keyword))
                .Null
        );
    }
}
