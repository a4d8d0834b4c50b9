using System.Text.Json;
using System.Text.Json.Nodes;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Conventions;

/// <summary>
/// PyTorch 1.13: torch.nn.functional.conv1d/2d/3d and conv_transpose1d/2d/3d, torch.nn.grad.convNd_input and
/// convNd_weight, and the torch.nn.Conv1d/2d/3d modules (built from the weight: in_channels = weight.shape[1] *
/// groups, out_channels = weight.shape[0], kernel_size = weight.shape[2:]; bias when a bias array is given). All are
/// cross-correlations (no flip) on N, C, spatial... (or unbatched C, spatial...) with weights (out, in/groups, k...);
/// a transposed convolution is the gradient w.r.t. the input of the forward problem whose weights are torch's
/// (in, out/groups, k...) as they are. padding="same" pads d*(k-1) in all, the extra one after; the modules'
/// padding_mode reflect, replicate and circular are the boundaries Mirror, Nearest and Wrap. What torch refuses is
/// refused in torch's words.
/// </summary>
public sealed class TorchConvention : IConvention
{
    private const string Functional = "torch.nn.functional.";
    private const string Grad = "torch.nn.grad.";
    private const string Module = "torch.nn.";

    private enum Kind
    {
        Conv,
        Transposed,
        GradInput,
        GradWeight,
        Module,
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Calls { get; } =
    [
        .. new[] { 1, 2, 3 }.SelectMany(r =>
            new[]
            {
                $"{Functional}conv{r}d",
                $"{Functional}conv_transpose{r}d",
                $"{Grad}conv{r}d_input",
                $"{Grad}conv{r}d_weight",
                $"{Module}Conv{r}d",
            }
        ),
    ];

    /// <inheritdoc />
    public int OptionalArrayArguments(string call) => call?.StartsWith(Grad, StringComparison.Ordinal) == true ? 0 : 1;

    /// <inheritdoc />
    public ConvPlan Plan(string call, IReadOnlyList<int[]> argShapes, Kwargs kwargs)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(argShapes);
        ArgumentNullException.ThrowIfNull(kwargs);
        var (kind, rank) = Parse(call);
        if (kind is Kind.GradInput or Kind.GradWeight)
            ConventionRegistry.RequireArgCount(call, argShapes, 2);
        else if (argShapes.Count is not (2 or 3))
            throw new InvalidCallException(
                call,
                null,
                $"takes input, weight and an optional bias; {argShapes.Count} arrays given."
            );
        return kind switch
        {
            Kind.Conv or Kind.Module => Forward(call, kind, rank, argShapes, kwargs),
            Kind.Transposed => Transposed(call, rank, argShapes, kwargs),
            Kind.GradInput => GradInput(call, rank, argShapes[0], argShapes[1], kwargs),
            _ => GradWeight(call, rank, argShapes[0], argShapes[1], kwargs),
        };
    }

    private static (Kind Kind, int Rank) Parse(string call)
    {
        // Stryker disable once Linq,Arithmetic : every call has a digit in its last part, none just before it
        int rank = call[(call.LastIndexOf('.') + 1)..].First(char.IsAsciiDigit) - '0';
        Kind kind = call.StartsWith(Functional, StringComparison.Ordinal)
            ? call.Contains("transpose", StringComparison.Ordinal)
                ? Kind.Transposed
                : Kind.Conv
            : call.StartsWith(Grad, StringComparison.Ordinal)
                ? call.EndsWith("_input", StringComparison.Ordinal)
                    ? Kind.GradInput
                    : Kind.GradWeight
                : Kind.Module;
        return (kind, rank);
    }

    /// <summary>F.convNd(input, weight, bias, stride, padding, dilation, groups) and the nn.ConvNd module's
    /// forward.</summary>
    private static ConvPlan Forward(string call, Kind kind, int rank, IReadOnlyList<int[]> args, Kwargs kwargs)
    {
        int[] input = args[0],
            weight = args[1];
        bool module = kind == Kind.Module;
        RequireWeight(call, rank, weight, null);
        int groups = Groups(call, kwargs, module, weight);
        var stride = PerAxis(call, kwargs, "stride", rank, 1);
        var dilation = PerAxis(call, kwargs, "dilation", rank, 1);
        string mode = module ? PaddingMode(kwargs) : "zeros";
        var paddingNode = kwargs.NotNull("padding");
        int[] kernel = weight[2..];
        int[] before,
            after;
        if (paddingNode is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            string padding = text.GetValue<string>();
            if (padding is not ("same" or "valid"))
                throw module
                    ? kwargs.Refused(
                        "padding",
                        "ValueError",
                        $"Invalid padding string '{padding}', should be one of {{'valid', 'same'}}"
                    )
                    : kwargs.Refused("padding", "RuntimeError", $"Invalid padding string: '{padding}'");
            if (padding == "same" && stride.Any(s => s != 1))
                throw kwargs.Refused(
                    "padding",
                    module ? "ValueError" : "RuntimeError",
                    "padding='same' is not supported for strided convolutions"
                );
            before = new int[rank];
            after = new int[rank];
            if (padding == "same")
                for (int a = 0; a < rank; a++)
                {
                    int total = dilation[a] * (kernel[a] - 1);
                    (before[a], after[a]) = (total / 2, total - total / 2);
                }
        }
        else
        {
            before = PerAxis(call, kwargs, "padding", rank, 0);
            after = [.. before];
        }
        RequireRanges(kwargs, stride, dilation, before);
        bool batched = RequireInput(call, rank, input);
        int[] batchedInput = batched ? input : [1, .. input];
        RequireChannels(call, groups, weight, batchedInput, transposed: false);
        bool bias = RequireBias(call, args, weight, weight[0], transposed: false);
        var boundary = mode switch
        {
            "reflect" => new Boundary(BoundaryKind.Mirror),
            "replicate" => new Boundary(BoundaryKind.Nearest),
            "circular" => new Boundary(BoundaryKind.Wrap),
            _ => Boundary.Zero,
        };
        // Stryker disable once String : RequirePad checks reflect and circular only
        if (mode != "zeros")
            RequirePad(call, kwargs, mode, batched, batchedInput, before, after);
        var problem = Build(
            call,
            new ConvProblemSpec
            {
                Batch = batchedInput[0],
                InChannels = batchedInput[1],
                OutChannels = weight[0],
                InputSize = batchedInput[2..],
                KernelSize = kernel,
                PadBefore = before,
                PadAfter = after,
                Stride = stride,
                Dilation = dilation,
                Groups = groups,
                Boundary = boundary,
                Bias = bias,
            },
            () => KernelTooLarge(batchedInput[2..], before, after, kernel, dilation)
        );
        int[] result = batched ? problem.OutputShape : problem.OutputShape[1..];
        return Describe(call, problem, ConvOperation.Forward, result, mode);
    }

    /// <summary>F.conv_transposeNd(input, weight, bias, stride, padding, output_padding, groups, dilation): the
    /// gradient w.r.t. the input of the forward problem with weights (in, out/groups, k...).</summary>
    private static ConvPlan Transposed(string call, int rank, IReadOnlyList<int[]> args, Kwargs kwargs)
    {
        int[] input = args[0],
            weight = args[1];
        RequireWeight(call, rank, weight, null);
        if (kwargs.NotNull("padding") is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            throw kwargs.Refused(
                "padding",
                "TypeError",
                $"conv_transpose{rank}d(): argument 'padding' must be tuple of ints, not str"
            );
        int groups = Groups(call, kwargs, module: false, weight);
        var stride = PerAxis(call, kwargs, "stride", rank, 1);
        var padding = PerAxis(call, kwargs, "padding", rank, 0);
        var outputPadding = PerAxis(call, kwargs, "output_padding", rank, 0);
        var dilation = PerAxis(call, kwargs, "dilation", rank, 1);
        RequireRanges(kwargs, stride, dilation, padding);
        if (outputPadding.Any(p => p < 0))
            throw kwargs.Refused("output_padding", "RuntimeError", "negative output_padding is not supported");
        if (Enumerable.Range(0, rank).Any(a => outputPadding[a] >= stride[a] && outputPadding[a] >= dilation[a]))
            throw kwargs.Refused(
                "output_padding",
                "RuntimeError",
                "output padding must be smaller than either stride or dilation, but got "
                    + string.Join(
                        " ",
                        new[]
                        {
                            ("output_padding", outputPadding, 0),
                            ("stride", stride, 1),
                            ("dilation", dilation, 1),
                        }.SelectMany(p =>
                            // torch 1.13 runs conv_transpose1d as 2-D: its message has a height axis (0, 1, 1).
                            rank == 1
                                ? new[] { $"{p.Item1}_height: {p.Item3}", $"{p.Item1}_width: {p.Item2[0]}" }
                                : Enumerable.Range(0, rank).Select(a => $"{p.Item1}{AxisName(rank, a)}: {p.Item2[a]}")
                        )
                    )
            );
        bool batched = RequireInput(call, rank, input);
        int[] batchedInput = batched ? input : [1, .. input];
        RequireChannels(call, groups, weight, batchedInput, transposed: true);
        bool bias = RequireBias(call, args, weight, weight[1] * groups, transposed: true);
        int[] kernel = weight[2..];
        var size = new long[rank];
        for (int a = 0; a < rank; a++)
            size[a] =
                (batchedInput[2 + a] - 1L) * stride[a]
                - 2L * padding[a]
                + (long)dilation[a] * (kernel[a] - 1)
                + outputPadding[a]
                + 1;
        if (size.Any(n => n < 1))
            throw new InvalidCallException(
                call,
                null,
                $"RuntimeError: Given input size per channel: ({Axes(batchedInput[2..])}). "
                    + $"Calculated output size per channel: ({Axes(size)}). Output size is too small"
            );
        if (size.Any(n => n > int.MaxValue))
            throw new UnsupportedCallException(call, null, $"the output ({Axes(size)}) is too large.");
        // The forward problem's output must have the transposed input's length: any padAfter in
        // [p - output_padding, p - output_padding + stride - 1] gives it; outside the stride no tap reaches.
        var after = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            int reach = padding[a] - outputPadding[a] + stride[a] - 1;
            if (reach < 0)
                throw kwargs.Unsupported(
                    "output_padding",
                    $"{outputPadding[a]} on axis {a} (with padding {padding[a]}, stride {stride[a]}) adds output "
                        + "positions no kernel tap reaches (only the bias); not handled"
                );
            after[a] = Math.Max(0, padding[a] - outputPadding[a]);
        }
        // Stryker disable once String : the padded output is never shorter than the dilated kernel (it is
        // (I-1)s + d(k-1) + 1 or more), so Build never asks for this message
        var problem = Build(
            call,
            new ConvProblemSpec
            {
                Batch = batchedInput[0],
                InChannels = weight[1] * groups,
                OutChannels = weight[0],
                InputSize = [.. size.Select(n => (int)n)],
                KernelSize = kernel,
                PadBefore = padding,
                PadAfter = after,
                Stride = stride,
                Dilation = dilation,
                Groups = groups,
                Bias = bias,
            },
            () => $"the output ({Axes(size)}) gives no forward problem"
        );
        // Stryker disable all : a guard against a mistake in the arithmetic above; no call reaches it
        if (!problem.OutputSize.SequenceEqual(batchedInput[2..]))
            throw new InvalidOperationException($"{call}: the forward problem {problem} does not match the input.");
        // Stryker restore all
        int[] result = batched ? problem.InputShape : problem.InputShape[1..];
        return Describe(call, problem, ConvOperation.GradInput, result, "zeros");
    }

    /// <summary>torch.nn.grad.convNd_input(input_size, weight, grad_output, stride, padding, dilation, groups):
    /// arrays weight and grad_output.</summary>
    private static ConvPlan GradInput(string call, int rank, int[] weight, int[] gradOutput, Kwargs kwargs)
    {
        var inputSize =
            kwargs.Shape("input_size")
            ?? throw kwargs.Refused(
                "input_size",
                "TypeError",
                $"conv{rank}d_input() missing 1 required positional argument: 'input_size'"
            );
        var problem = GradProblem(call, rank, inputSize, weight, kwargs, "input");
        RequireGradOutput(call, gradOutput, problem);
        return Describe(call, problem, ConvOperation.GradInput, problem.InputShape, "zeros") with
        {
            SwapsArguments = true,
        };
    }

    /// <summary>torch.nn.grad.convNd_weight(input, weight_size, grad_output, stride, padding, dilation, groups):
    /// arrays input and grad_output.</summary>
    private static ConvPlan GradWeight(string call, int rank, int[] input, int[] gradOutput, Kwargs kwargs)
    {
        var weightSize =
            kwargs.Shape("weight_size")
            ?? throw kwargs.Refused(
                "weight_size",
                "TypeError",
                $"conv{rank}d_weight() missing 1 required positional argument: 'weight_size'"
            );
        // Stryker disable once String : only "input" is told apart
        var problem = GradProblem(call, rank, input, weightSize, kwargs, "weight");
        RequireGradOutput(call, gradOutput, problem);
        return Describe(call, problem, ConvOperation.GradWeights, problem.WeightShape, "zeros");
    }

    /// <summary>The forward problem of a torch.nn.grad call: batched input, weight, integer paddings.</summary>
    private static ConvProblem GradProblem(
        string call,
        int rank,
        int[] input,
        int[] weight,
        Kwargs kwargs,
        string given
    )
    {
        RequireWeight(call, rank, weight, given == "weight" ? "weight_size" : null);
        if (input.Length != rank + 2)
            throw new InvalidCallException(
                call,
                given == "input" ? "input_size" : null,
                $"RuntimeError: Expected {rank + 2}-dimensional input for {rank + 2}-dimensional weight "
                    + $"[{Tensor.FormatShape(weight)}], "
                    + $"but got {input.Length}-dimensional input of size [{Tensor.FormatShape(input)}] instead"
            );
        if (kwargs.Raw("padding") is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            throw kwargs.Unsupported("padding", "a padding string is not handled for torch.nn.grad");
        int groups = Groups(call, kwargs, module: false, weight);
        var stride = PerAxis(call, kwargs, "stride", rank, 1);
        var padding = PerAxis(call, kwargs, "padding", rank, 0);
        var dilation = PerAxis(call, kwargs, "dilation", rank, 1);
        RequireRanges(kwargs, stride, dilation, padding);
        if (input.Any(n => n < 1))
            // The input is the input_size argument of convNd_input, an array of convNd_weight.
            throw new UnsupportedCallException(
                call,
                given == "input" ? "input_size" : null,
                "every size must be at least 1"
            );
        RequireChannels(call, groups, weight, input, transposed: false);
        return Build(
            call,
            new ConvProblemSpec
            {
                Batch = input[0],
                InChannels = input[1],
                OutChannels = weight[0],
                InputSize = input[2..],
                KernelSize = weight[2..],
                PadBefore = padding,
                PadAfter = padding,
                Stride = stride,
                Dilation = dilation,
                Groups = groups,
            },
            () => KernelTooLarge(input[2..], padding, padding, weight[2..], dilation)
        );
    }

    private static void RequireGradOutput(string call, int[] gradOutput, ConvProblem problem)
    {
        int[] expected = problem.OutputShape;
        if (gradOutput.Length != expected.Length)
            throw new InvalidCallException(
                call,
                null,
                "RuntimeError: Expected input and grad_output to have the same number of dimensions, but got: "
                    + $"{expected.Length} and {gradOutput.Length}"
            );
        for (int a = 0; a < expected.Length; a++)
            if (gradOutput[a] != expected[a])
                throw new InvalidCallException(
                    call,
                    null,
                    $"RuntimeError: Expected a tensor of dimension {expected.Length} and tensor.size[{a}] == "
                        + $"{expected[a]} "
                        + $"but got: dimension {gradOutput.Length} and tensor.size[{a}] = {gradOutput[a]}"
                );
    }

    /// <summary>Throws unless the weight is (out, in/groups, k...) with every size at least 1; <paramref
    /// name="keyword"/> is the argument that gave it (weight_size), null for an array.</summary>
    private static void RequireWeight(string call, int rank, int[] weight, string? keyword)
    {
        if (weight.Length != rank + 2 || weight.Any(n => n < 1))
            throw new InvalidCallException(
                call,
                keyword,
                $"RuntimeError: weight of size [{Tensor.FormatShape(weight)}]: a {rank + 2}-D weight (out, in/groups, "
                    + "k...) "
                    + "with every size at least 1 is expected"
            );
    }

    /// <summary>Whether the input is batched; throws unless it is (N, C, spatial...) or (C, spatial...).</summary>
    private static bool RequireInput(string call, int rank, int[] input)
    {
        if (input.Length != rank + 1 && input.Length != rank + 2)
            throw new InvalidCallException(
                call,
                null,
                $"RuntimeError: Expected {rank + 1}D (unbatched) or {rank + 2}D (batched) input to conv{rank}d, "
                    + $"but got input of size: [{Tensor.FormatShape(input)}]"
            );
        return input.Length == rank + 2;
    }

    private static int Groups(string call, Kwargs kwargs, bool module, int[] weight)
    {
        int groups = Integer(kwargs, "groups", 1);
        if (groups < 1)
            throw module
                ? kwargs.Refused("groups", "ValueError", "groups must be a positive integer")
                : kwargs.Refused("groups", "RuntimeError", "non-positive groups is not supported");
        if (module && weight[0] % groups != 0)
            throw kwargs.Refused("groups", "ValueError", "out_channels must be divisible by groups");
        if (weight[0] % groups != 0)
            throw new InvalidCallException(
                call,
                "groups",
                $"RuntimeError: Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                    + $"but got weight of size [[{Tensor.FormatShape(weight)}]] instead"
            );
        return groups;
    }

    private static void RequireRanges(Kwargs kwargs, int[] stride, int[] dilation, int[] padding)
    {
        if (padding.Any(p => p < 0))
            throw kwargs.Refused("padding", "RuntimeError", "negative padding is not supported");
        if (stride.Any(s => s < 1))
            throw kwargs.Refused("stride", "RuntimeError", "non-positive stride is not supported");
        if (dilation.Any(d => d < 1))
            throw kwargs.Refused(
                "dilation",
                "RuntimeError",
                $"dilation should be greater than zero, but got [{Tensor.FormatShape(dilation)}]"
            );
    }

    private static void RequireChannels(string call, int groups, int[] weight, int[] input, bool transposed)
    {
        int channels = transposed ? weight[0] : weight[1] * groups;
        if (input[1] != channels)
            throw new InvalidCallException(
                call,
                null,
                $"RuntimeError: Given {(transposed ? "transposed=1" : $"groups={groups}")}, weight of size "
                    + $"[{Tensor.FormatShape(weight)}], "
                    + $"expected input[{Tensor.FormatShape(input)}] to have {channels} channels, but got {input[1]} "
                    + "channels instead"
            );
    }

    /// <summary>Whether a bias is given; throws unless it holds <paramref name="channels"/> values (1-D).</summary>
    private static bool RequireBias(string call, IReadOnlyList<int[]> args, int[] weight, int channels, bool transposed)
    {
        if (args.Count < 3)
            return false;
        var bias = args[2];
        if (bias.Length != 1 || bias[0] != channels)
            throw new InvalidCallException(
                call,
                "bias",
                $"RuntimeError: Given {(transposed ? "transposed=1, " : "")}weight of size "
                    + $"[{Tensor.FormatShape(weight)}], "
                    + $"expected bias to be 1-dimensional with {channels} elements, but got bias of size "
                    + $"[{Tensor.FormatShape(bias)}] instead"
            );
        return true;
    }

    /// <summary>The module's padding_mode: zeros, reflect, replicate or circular.</summary>
    private static string PaddingMode(Kwargs kwargs)
    {
        var node = kwargs.NotNull("padding_mode");
        if (node is null)
            return "zeros";
        string mode = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
        if (mode is not ("zeros" or "reflect" or "replicate" or "circular"))
            throw kwargs.Refused(
                "padding_mode",
                "ValueError",
                $"padding_mode must be one of {{'zeros', 'reflect', 'replicate', 'circular'}}, but got "
                    + $"padding_mode='{mode}'"
            );
        return mode;
    }

    /// <summary>What F.pad refuses for the module's reflect and circular padding (replicate takes any pad).</summary>
    private static void RequirePad(
        string call,
        Kwargs kwargs,
        string mode,
        bool batched,
        int[] input,
        int[] before,
        int[] after
    )
    {
        int rank = before.Length;
        // The pad after is never the smaller one (an int padding is the same both sides, "same" puts the extra
        // after): it alone decides what F.pad refuses.
        if (mode == "circular" && !batched)
            throw kwargs.Refused(
                "padding_mode",
                "RuntimeError",
                $"Invalid padding size, expected {2 * (rank - 1)} but got {2 * rank}"
            );
        for (int a = rank - 1; a >= 0; a--)
        {
            int n = input[2 + a];
            if (mode == "reflect" && after[a] >= n)
            {
                int[] shape = batched ? input : input[1..];
                string of = rank == 2 ? $"{shape.Length}" : $"[{Tensor.FormatShape(shape)}]";
                throw new InvalidCallException(
                    call,
                    "padding",
                    // F.pad's pads run from the last axis: its pair is arguments #3 and #4, the one before #5 and #6.
                    $"RuntimeError: Argument #{4 + 2 * (rank - 1 - a)}: Padding size should be less than the "
                        + "corresponding input dimension, "
                        + $"but got: padding ({before[a]}, {after[a]}) at dimension {shape.Length - rank + a} of input "
                        + $"{of}"
                );
            }
            if (mode == "circular" && after[a] > n)
                throw kwargs.Refused("padding", "RuntimeError", "Padding value causes wrapping around more than once.");
        }
    }

    /// <summary>An int or a list of one int per axis (one entry stands for every axis), as torch's int[] arguments
    /// take them.</summary>
    private static int[] PerAxis(string call, Kwargs kwargs, string name, int rank, int fallback)
    {
        var node = kwargs.NotNull(name);
        if (node is null)
            return [.. Enumerable.Repeat(fallback, rank)];
        if (node is JsonArray list)
        {
            var values = list.Select(item => PythonInt(kwargs, name, item)).ToArray();
            if (values.Length == 1)
                return [.. Enumerable.Repeat(values[0], rank)];
            if (values.Length != rank)
                throw new InvalidCallException(
                    call,
                    name,
                    $"RuntimeError: expected {name} to be a single integer value or a list of {rank} values to match "
                        + $"the convolution dimensions, but got {name}=[{Tensor.FormatShape(values)}]"
                );
            return values;
        }
        return [.. Enumerable.Repeat(PythonInt(kwargs, name, node), rank)];
    }

    private static int Integer(Kwargs kwargs, string name, int fallback)
    {
        var node = kwargs.NotNull(name);
        return node is null ? fallback : PythonInt(kwargs, name, node);
    }

    /// <summary>The value of a JSON integer literal (a Python int); torch refuses floats, bools and strings where it
    /// wants ints.</summary>
    private static int PythonInt(Kwargs kwargs, string name, JsonNode? node)
    {
        if (node is not null && node.GetValueKind() == JsonValueKind.Number)
        {
            string text = node.ToJsonString();
            // Stryker disable once Equality : a JSON number never starts with '.' or 'e'
            if (text.IndexOfAny(['.', 'e', 'E']) < 0)
                return int.TryParse(
                    text,
                    System.Globalization.NumberStyles.AllowLeadingSign,
                    System.Globalization.CultureInfo.InvariantCulture,
                    out int value
                )
                    ? value
                    : throw kwargs.Unsupported(name, $"{text} is too large");
        }
        string type = node?.GetValueKind() switch
        {
            JsonValueKind.String => "str",
            JsonValueKind.True or JsonValueKind.False => "bool",
            JsonValueKind.Array => "list",
            JsonValueKind.Object => "dict",
            _ => "float",
        };
        throw kwargs.Refused(name, "TypeError", $"argument '{name}' must be int or tuple of ints, not {type}");
    }

    private static ConvProblem Build(string call, ConvProblemSpec spec, Func<string> empty)
    {
        if (ConvProblem.TryCreate(spec, out var problem, out string? error))
            return problem;
        bool tooShort = Enumerable
            .Range(0, spec.InputSize.Count)
            .Any(a =>
                spec.InputSize[a] + (long)spec.PadBefore![a] + spec.PadAfter![a]
                < (spec.KernelSize[a] - 1L) * spec.Dilation![a] + 1
            );
        // torch refuses only a dilated kernel longer than the padded input; the rest (an empty batch, sizes past
        // what a ConvProblem holds) it answers, and a ConvProblem cannot say.
        throw tooShort
            ? new InvalidCallException(call, null, $"RuntimeError: {empty()}")
            : (Exception)new UnsupportedCallException(call, null, error);
    }

    private static string AxisName(int rank, int axis) =>
        rank switch
        {
            2 => axis == 0 ? "_height" : "_width",
            _ => axis switch
            {
                0 => "_depth",
                1 => "_height",
                _ => "_width",
            },
        };

    private static string Axes<T>(IEnumerable<T> values) => string.Join(" x ", values);

    /// <summary>A refusal in torch's words: its exception type and message, naming the argument.</summary>
    /// <summary>torch's message for a dilated kernel larger than the padded input.</summary>
    private static string KernelTooLarge(int[] size, int[] before, int[] after, int[] kernel, int[] dilation) =>
        $"Calculated padded input size per channel: ({Axes(size.Select((n, a) => n + before[a] + after[a]))}). "
        + $"Kernel size: ({Axes(kernel.Select((k, a) => (k - 1) * dilation[a] + 1))}). "
        + "Kernel size can't be greater than actual input size";

    private static ConvPlan Describe(
        string call,
        ConvProblem p,
        ConvOperation operation,
        int[] resultShape,
        string mode
    )
    {
        string what = operation switch
        {
            ConvOperation.GradInput => "gradient w.r.t. the input (transposed convolution) of ",
            ConvOperation.GradWeights => "gradient w.r.t. the weight of ",
            _ => "",
        };
        string pads = string.Join(", ", Enumerable.Range(0, p.Rank).Select(a => $"{p.PadBefore[a]}/{p.PadAfter[a]}"));
        return new ConvPlan(
            call,
            p,
            operation,
            resultShape,
            ReferenceAlgorithm.Direct,
            $"{what}correlation (weight not flipped), pads before/after {pads} ({mode}), stride "
                + $"{string.Join("x", p.Stride)}, "
                + $"dilation {string.Join("x", p.Dilation)}, groups "
                + $"{p.Groups}{(p.Bias ? ", plus bias per channel" : "")}"
        );
    }
}
