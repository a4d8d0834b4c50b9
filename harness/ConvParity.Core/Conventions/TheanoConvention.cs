using System.Text.Json;
using System.Text.Json.Nodes;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Conventions;

/// <summary>
/// Theano: nnet.conv2d/conv3d and their abstract_conv gradients, the legacy nnet.conv.conv2d
/// (ConvOp), signal.conv.conv2d and cuDNN's dnn_conv. Layouts are NCHW / NCDHW with filters
/// (K, C/G, k...), unshared (K, O..., C/G, k...). filter_flip=True (the default) and
/// conv_mode='conv' mean true convolution; border_mode 'half' pads k_eff//2 on both sides,
/// 'full' k_eff-1, with k_eff = (k-1)*dilation+1.
/// </summary>
public sealed class TheanoConvention : IConvention
{
    private const string Conv2d = "theano.tensor.nnet.conv2d";
    private const string Conv3d = "theano.tensor.nnet.conv3d";
    private const string AbstractConv = "theano.tensor.nnet.abstract_conv.";
    private const string LegacyConv2d = "theano.tensor.nnet.conv.conv2d";
    private const string Signal = "theano.tensor.signal.conv.conv2d";
    private static readonly string[] Dnn = ["theano.sandbox.cuda.dnn.dnn_conv", "theano.gpuarray.dnn.dnn_conv"];

    /// <inheritdoc />
    public IReadOnlyList<string> Calls { get; } =
    [
        Conv2d,
        Conv3d,
        AbstractConv + "conv2d_grad_wrt_inputs",
        AbstractConv + "conv2d_grad_wrt_weights",
        AbstractConv + "conv3d_grad_wrt_inputs",
        AbstractConv + "conv3d_grad_wrt_weights",
        LegacyConv2d,
        Signal,
        .. Dnn,
    ];

    /// <inheritdoc />
    public ConvPlan Plan(string call, IReadOnlyList<int[]> argShapes, Kwargs kwargs)
    {
        ArgumentNullException.ThrowIfNull(argShapes);
        ArgumentNullException.ThrowIfNull(kwargs);
        ConventionRegistry.RequireArgCount(call, argShapes, 2);
        int[] first = argShapes[0],
            second = argShapes[1];
        return call switch
        {
            Conv2d or Conv3d => AbstractForward(call, first, second, kwargs),
            LegacyConv2d => LegacyForward(call, first, second, kwargs),
            Signal => SignalForward(call, first, second, kwargs),
            _ when Dnn.Contains(call) => DnnForward(call, first, second, kwargs),
            _ when call.EndsWith("_grad_wrt_inputs", StringComparison.Ordinal) => GradInputs(
                call,
                first,
                second,
                kwargs
            ),
            _ => GradWeights(call, first, second, kwargs),
        };
    }

    private static ConvPlan AbstractForward(string call, int[] input, int[] filters, Kwargs kwargs)
    {
        int rank = call == Conv3d ? 3 : 2;
        ConventionRegistry.RequireRank(call, "input", input, rank + 2);
        var settings = AbstractSettings(rank, kwargs);
        ConventionRegistry.RequireRank(call, "filters", filters, settings.Unshared ? 2 * rank + 2 : rank + 2);
        CheckHint(kwargs, "input_shape", input);
        CheckHint(kwargs, "filter_shape", filters);
        kwargs.Ignore("image_shape"); // deprecated alias of input_shape in conv2d; a hint only
        var problem = Build(call, input, filters, settings, kwargs);
        return Describe(call, problem, ConvOperation.Forward, problem.OutputShape, settings);
    }

    private static ConvPlan GradInputs(string call, int[] outputGrad, int[] filters, Kwargs kwargs)
    {
        int rank = call.Contains("conv3d", StringComparison.Ordinal) ? 3 : 2;
        var settings = AbstractSettings(rank, kwargs);
        var inputShape =
            kwargs.Shape("input_shape")
            ?? throw kwargs.Invalid(
                "input_shape",
                "is required: with stride > 1 several input shapes give the same output"
            );
        ConventionRegistry.RequireRank(call, "input_shape", inputShape, rank + 2);
        ConventionRegistry.RequireRank(call, "filters", filters, settings.Unshared ? 2 * rank + 2 : rank + 2);
        CheckHint(kwargs, "filter_shape", filters);
        var problem = Build(call, inputShape, filters, settings, kwargs);
        RequireShape(call, "output_grad", outputGrad, problem.OutputShape);
        return Describe(call, problem, ConvOperation.GradInput, problem.InputShape, settings);
    }

    private static ConvPlan GradWeights(string call, int[] input, int[] outputGrad, Kwargs kwargs)
    {
        int rank = call.Contains("conv3d", StringComparison.Ordinal) ? 3 : 2;
        var settings = AbstractSettings(rank, kwargs);
        var filterShape = kwargs.Shape("filter_shape") ?? throw kwargs.Invalid("filter_shape", "is required");
        ConventionRegistry.RequireRank(call, "input", input, rank + 2);
        ConventionRegistry.RequireRank(call, "filter_shape", filterShape, settings.Unshared ? 2 * rank + 2 : rank + 2);
        CheckHint(kwargs, "input_shape", input);
        var problem = Build(call, input, filterShape, settings, kwargs);
        RequireShape(call, "output_grad", outputGrad, problem.OutputShape);
        return Describe(call, problem, ConvOperation.GradWeights, problem.WeightShape, settings);
    }

    private static ConvPlan LegacyForward(string call, int[] input, int[] filters, Kwargs kwargs)
    {
        ConventionRegistry.RequireRank(call, "input", input, 4);
        ConventionRegistry.RequireRank(call, "filters", filters, 4);
        CheckHint(kwargs, "image_shape", input);
        CheckHint(kwargs, "filter_shape", filters);
        var settings = LegacySettings(kwargs);
        var problem = Build(call, input, filters, settings, kwargs);
        return Describe(call, problem, ConvOperation.Forward, problem.OutputShape, settings);
    }

    /// <summary>signal.conv.conv2d: input (H, W) or (N, H, W), filters (h, w) or (K, h, w); the result drops the axes
    /// the arguments lack.</summary>
    private static ConvPlan SignalForward(string call, int[] input, int[] filters, Kwargs kwargs)
    {
        ConventionRegistry.RequireRank(call, "input", input, 2, 3);
        ConventionRegistry.RequireRank(call, "filters", filters, 2, 3);
        CheckHint(kwargs, "image_shape", input);
        CheckHint(kwargs, "filter_shape", filters);
        var settings = LegacySettings(kwargs);
        int[] canonicalInput = [input.Length == 3 ? input[0] : 1, 1, input[^2], input[^1]];
        int[] canonicalFilters = [filters.Length == 3 ? filters[0] : 1, 1, filters[^2], filters[^1]];
        var problem = Build(call, canonicalInput, canonicalFilters, settings, kwargs);
        int[] result = [.. input.SkipLast(2), .. filters.SkipLast(2), .. problem.OutputSize];
        return Describe(call, problem, ConvOperation.Forward, result, settings);
    }

    private static ConvPlan DnnForward(string call, int[] img, int[] kerns, Kwargs kwargs)
    {
        ConventionRegistry.RequireRank(call, "img", img, 4, 5);
        int rank = img.Length - 2;
        ConventionRegistry.RequireRank(call, "kerns", kerns, rank + 2);
        string convMode = kwargs.Choice("conv_mode", "conv", "conv", "cross");
        string? precision = kwargs.Raw("precision")?.ToString();
        if (precision is not (null or "as_input_f32" or "as_input" or "float32"))
            throw kwargs.Unsupported(
                "precision",
                $"'{precision}' changes the arithmetic; only float32 computation is handled"
            );
        kwargs.Ignore("direction_hint", "workmem", "algo"); // choose the algorithm, not the result
        var settings = new Settings(
            Border: kwargs.NotNull("border_mode"),
            Subsample: kwargs.Ints("subsample", rank, 1),
            Dilation: kwargs.Ints("dilation", rank, 1),
            Flip: convMode == "conv",
            Groups: kwargs.Int("num_groups", 1),
            Unshared: false
        );
        var problem = Build(call, img, kerns, settings, kwargs);
        return Describe(call, problem, ConvOperation.Forward, problem.OutputShape, settings);
    }

    /// <summary>
    /// The keyword arguments every call shares. The legacy calls take only the named border modes
    /// 'valid' and 'full'; the others also 'half' and integer paddings.
    /// </summary>
    private sealed record Settings(
        JsonNode? Border,
        int[] Subsample,
        int[] Dilation,
        bool Flip,
        int Groups,
        bool Unshared,
        bool Legacy = false
    );

    private static Settings AbstractSettings(int rank, Kwargs kwargs) =>
        new(
            Border: kwargs.NotNull("border_mode"),
            Subsample: PerAxis(kwargs, "subsample", rank, legacy: false),
            Dilation: PerAxis(kwargs, "filter_dilation", rank, legacy: false),
            Flip: kwargs.Bool("filter_flip", true),
            Groups: kwargs.Int("num_groups", 1),
            Unshared: rank == 2 && kwargs.Bool("unshared", false)
        );

    private static Settings LegacySettings(Kwargs kwargs) =>
        new(
            Border: kwargs.NotNull("border_mode"),
            Subsample: PerAxis(kwargs, "subsample", 2, legacy: true),
            Dilation: [1, 1],
            Flip: true,
            Groups: 1,
            Unshared: false,
            Legacy: true
        );

    /// <summary>
    /// The problem for NC(D)HW <paramref name="input"/> and Theano-layout <paramref name="filters"/>. What
    /// Theano 1.0.5 refuses is refused in its order and words: border_mode and num_groups when the op is
    /// built, then the stack sizes and the groups when it runs (CorrMM's checks; the legacy ConvOp's own).
    /// </summary>
    private static ConvProblem Build(string call, int[] input, int[] filters, Settings s, Kwargs kwargs)
    {
        int rank = input.Length - 2;
        int[] kernel = filters[^rank..];
        int channelsPerGroup = filters[s.Unshared ? rank + 1 : 1];
        var (before, after) = Pads(kwargs, s, rank, kernel);
        if (s.Groups < 1)
            throw kwargs.Refused("num_groups", "ValueError", "num_groups must have value greater than zero");
        string op = rank == 3 ? "Corr3dMM" : "CorrMM";
        if ((long)channelsPerGroup * s.Groups != input[1])
            throw new InvalidCallException(
                call,
                null,
                "ValueError: "
                    + (
                        s.Legacy
                            ? $"the filter stack size ({channelsPerGroup}) and image stack size ({input[1]}) differ"
                            : $"{op} images and kernel must have the same stack size"
                    )
                    + $": filters [{Tensor.FormatShape(filters)}] take {channelsPerGroup} channels "
                    + $"per group x {s.Groups} groups = "
                    + $"{(long)channelsPerGroup * s.Groups}, but the input has {input[1]} channels."
            );
        if (filters[0] % s.Groups != 0)
            throw new InvalidCallException(
                call,
                null,
                "ValueError: CorrMM the number of filters must be divisible by the number of groups: "
                    + $"{filters[0]} filters, {s.Groups} groups."
            );
        var spec = new ConvProblemSpec
        {
            Batch = input[0],
            InChannels = input[1],
            OutChannels = filters[0],
            InputSize = input[2..],
            KernelSize = kernel,
            PadBefore = before,
            PadAfter = after,
            Stride = s.Subsample,
            Dilation = s.Dilation,
            Groups = s.Groups,
            Flip = s.Flip,
            Boundary = Boundary.Zero,
            Unshared = s.Unshared,
        };
        if (!ConvProblem.TryCreate(spec, out var problem, out string? error))
            throw new InvalidCallException(call, null, Impossible(call, s, op, input, kernel) + error);
        if (s.Unshared && !filters[1..(rank + 1)].SequenceEqual(problem.OutputSize))
            throw new InvalidCallException(
                call,
                null,
                $"unshared filters [{Tensor.FormatShape(filters)}] hold kernels for a "
                    + $"{string.Join("x", filters[1..(rank + 1)])} output; "
                    + $"the output is {string.Join("x", problem.OutputSize)}."
            );
        return problem;
    }

    /// <summary>
    /// The words Theano 1.0.5 raises, when it runs, for an output with no positions: CorrMM's and Corr3dMM's for
    /// conv2d/conv3d, ConvOp's (its output size, ceil((in - k + 1) / stride) in 'valid') for the legacy and signal
    /// calls (only 'valid' leaves no output there: 'full' pads, and those are the two modes they take). The gradients
    /// and dnn_conv (not checked against Theano here) get ConvParity's reason alone.
    /// </summary>
    private static string Impossible(string call, Settings s, string op, int[] input, int[] kernel)
    {
        if (call is Conv2d or Conv3d)
            return $"ValueError: {op}: impossible output shape: ";
        if (!s.Legacy)
            return "";
        var size = Enumerable
            .Range(0, 2)
            .Select(a => (int)Math.Ceiling((input[a + 2] - kernel[a] + 1) / (double)s.Subsample[a]));
        return $"ValueError: Output dimensions are not valid {string.Join("x", size)}: ";
    }

    /// <summary>
    /// border_mode as Theano 1.0.5 reads it. The abstract convolutions take 'valid', 'full', 'half', one
    /// non-negative int, or a tuple of one entry per axis, each an int or (before, after) (pairs in 2-D
    /// only); the legacy ConvOp and signal.conv take 'valid' and 'full'. Anything else is refused with
    /// Theano's exception and message.
    /// </summary>
    private static (int[] Before, int[] After) Pads(Kwargs kwargs, Settings s, int rank, int[] kernel)
    {
        var before = new int[rank];
        var after = new int[rank];
        var node = s.Border;
        string? mode =
            node is null ? "valid"
            : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>()
            : null;
        if (s.Legacy && mode is not ("valid" or "full"))
            throw kwargs.Refused("border_mode", "Exception", $"Mode {Python(node)} not implemented");
        if (mode is "valid" or "full" or "half")
        {
            for (int a = 0; a < rank; a++)
            {
                int effective = (kernel[a] - 1) * s.Dilation[a] + 1;
                before[a] = after[a] = mode switch
                {
                    "full" => effective - 1,
                    "half" => effective / 2,
                    _ => 0,
                };
            }
            return (before, after);
        }
        if (PythonInt(kwargs, node) is { } all)
        {
            if (all < 0)
                throw kwargs.Refused(
                    "border_mode",
                    "ValueError",
                    $"invalid border_mode {all}, which must be a non-negative integer"
                );
            Array.Fill(before, all);
            Array.Fill(after, all);
            return (before, after);
        }
        if (node is not JsonArray perAxis)
            throw kwargs.Refused(
                "border_mode",
                "ValueError",
                $"invalid border_mode {Python(node)}, which must be either \"valid\", \"full\", \"half\", "
                    + $"an integer or a tuple of length {rank}"
            );
        if (perAxis.Count != rank)
            throw kwargs.Refused(
                "border_mode",
                "ValueError",
                $"invalid border_mode {Python(node)}, which must be a tuple of length {rank}"
            );
        for (int a = 0; a < rank; a++)
        {
            int[]? pads =
                PythonInt(kwargs, perAxis[a]) is { } both ? [both, both]
                : perAxis[a] is JsonArray { Count: 2 } pair
                && PythonInt(kwargs, pair[0]) is { } lo
                && PythonInt(kwargs, pair[1]) is { } hi
                    ? [lo, hi]
                : null;
            if (pads is null || pads.Min() < 0)
                throw kwargs.Refused(
                    "border_mode",
                    "ValueError",
                    $"invalid border mode {Python(node)}. The tuple can only contain integers  or pairs of integers"
                );
            if (perAxis[a] is JsonArray && rank != 2)
                throw kwargs.Refused(
                    "border_mode",
                    "NotImplementedError",
                    $"Asymmetric padding not implemented for {rank}D"
                );
            (before[a], after[a]) = (pads[0], pads[1]);
        }
        return (before, after);
    }

    /// <summary>
    /// subsample / filter_dilation: a tuple with an entry per axis (one int is refused: Theano takes its
    /// len(), the legacy ConvOp indexes it; a string is read as Python reads it, see Text). The abstract
    /// convolutions want exactly one entry per axis; the legacy ones read the first two and ignore any more.
    /// </summary>
    private static int[] PerAxis(Kwargs kwargs, string name, int rank, bool legacy)
    {
        var node = kwargs.NotNull(name);
        if (node is null)
            return [.. Enumerable.Repeat(1, rank)];
        if (node.GetValueKind() == JsonValueKind.String)
            throw Text(kwargs, name, node.GetValue<string>(), rank, legacy);
        if (node is not JsonArray list)
        {
            string type = node.GetValueKind() switch
            {
                JsonValueKind.True or JsonValueKind.False => "bool",
                _ => PythonInt(kwargs, node) is null ? "float" : "int",
            };
            throw kwargs.Refused(
                name,
                "TypeError",
                legacy ? $"'{type}' object is not subscriptable" : $"object of type '{type}' has no len()"
            );
        }
        if (legacy && list.Count < rank)
            throw kwargs.Refused(name, "IndexError", "tuple index out of range");
        if (!legacy && list.Count != rank)
            throw kwargs.Refused(name, "ValueError", $"{name} must have {rank} elements");
        return kwargs.Shape(name)![..rank];
    }

    /// <summary>
    /// A string where a tuple belongs: Python takes it as a sequence of one-character strings. The abstract
    /// convolutions check its length (and a string of the right length would reach the C code as text, which
    /// ConvParity does not follow); the legacy ConvOp indexes two characters and wants an int.
    /// </summary>
    private static Exception Text(Kwargs kwargs, string name, string text, int rank, bool legacy)
    {
        if (legacy)
            return text.Length < rank
                ? kwargs.Refused(name, "IndexError", "string index out of range")
                : kwargs.Refused(name, "TypeError", $"('ConvOp.__init__ param dx must be an int', '{text[0]}')");
        return text.Length != rank
            ? kwargs.Refused(name, "ValueError", $"{name} must have {rank} elements")
            : kwargs.Unsupported(name, $"the string '{text}' where a tuple of {rank} ints belongs");
    }

    /// <summary>The value of a JSON integer literal (a Python int once the call is made); null for anything
    /// else.</summary>
    private static int? PythonInt(Kwargs kwargs, JsonNode? node)
    {
        if (node is null || node.GetValueKind() != JsonValueKind.Number)
            return null;
        string text = node.ToJsonString();
        if (text.IndexOfAny(['.', 'e', 'E']) >= 0)
            return null; // a Python float
        return int.TryParse(
            text,
            System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture,
            out int value
        )
            ? value
            : throw kwargs.Invalid("border_mode", $"{text} is too large a padding");
    }

    /// <summary>A JSON value as Python prints it once the call has it: lists are tuples, strings bare at the
    /// top.</summary>
    private static string Python(JsonNode? node, bool nested = false) =>
        node switch
        {
            null => "None",
            JsonArray { Count: 1 } one => $"({Python(one[0], true)},)",
            JsonArray list => $"({string.Join(", ", list.Select(item => Python(item, true)))})",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => nested
                ? $"'{v.GetValue<string>()}'"
                : v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.True => "True",
            JsonValue v when v.GetValueKind() == JsonValueKind.False => "False",
            _ => node.ToJsonString(),
        };

    /// <summary>Shape hints (input_shape, filter_shape, image_shape) may be given; where they are, they must match the
    /// arrays (null entries mean unknown).</summary>
    private static void CheckHint(Kwargs kwargs, string name, int[] actual)
    {
        if (kwargs.Raw(name) is not JsonArray hint)
            return;
        bool matches =
            hint.Count == actual.Length
            && hint.Select(
                    (h, i) => h is null || (h.GetValueKind() == JsonValueKind.Number && Kwargs.ValueOf(h) == actual[i])
                )
                .All(m => m);
        if (!matches)
            throw kwargs.Invalid(
                name,
                $"{hint.ToJsonString()} does not match the array's shape [{Tensor.FormatShape(actual)}]"
            );
    }

    private static void RequireShape(string call, string name, int[] actual, int[] expected)
    {
        if (!actual.SequenceEqual(expected))
            throw new InvalidCallException(
                call,
                null,
                $"{name} has shape [{Tensor.FormatShape(actual)}]; "
                    + $"these settings give [{Tensor.FormatShape(expected)}]."
            );
    }

    private static ConvPlan Describe(string call, ConvProblem p, ConvOperation operation, int[] resultShape, Settings s)
    {
        string what = operation switch
        {
            ConvOperation.GradInput => "gradient w.r.t. the input (transposed convolution) of ",
            ConvOperation.GradWeights => "gradient w.r.t. the filters of ",
            _ => "",
        };
        string pads = string.Join(", ", Enumerable.Range(0, p.Rank).Select(a => $"{p.PadBefore[a]}/{p.PadAfter[a]}"));
        return new ConvPlan(
            call,
            p,
            operation,
            resultShape,
            ReferenceAlgorithm.Direct,
            $"{what}{(p.Flip ? "true convolution (filters flipped)" : "correlation (filters not flipped)")}, "
                + $"pads before/after {pads}, "
                + $"stride {string.Join("x", p.Stride)}, dilation {string.Join("x", p.Dilation)}, "
                + $"groups {p.Groups}{(p.Unshared ? ", unshared" : "")}"
        );
    }
}
