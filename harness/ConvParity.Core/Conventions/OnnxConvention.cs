using System.Text.Json;
using System.Text.Json.Nodes;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Conventions;

/// <summary>
/// ONNX's Conv and ConvTranspose operators (opset 11, the operator spec of onnx 1.12), named <c>onnx.Conv</c> and
/// <c>onnx.ConvTranspose</c>, with the node's attributes as kwargs and ONNX's defaults for absent ones. Both are
/// cross-correlations (no flip) on (N, C, D...) data. Conv takes W (M, C/group, k...); ConvTranspose takes
/// W (C, M/group, k...) and is the gradient w.r.t. the input of the Conv whose output has X's shape, W as is.
/// auto_pad SAME_UPPER / SAME_LOWER put the odd position of padding at the end / the beginning; pads lists every
/// axis's beginning, then every axis's end. For ConvTranspose, output_shape (or SAME_* without it: X's size times
/// the stride) sets the padding by the spec's equations, with Python's floor division. The optional third input B
/// (M) is added per output channel.
/// </summary>
public sealed class OnnxConvention : IConvention
{
    /// <summary>The Conv operator.</summary>
    public const string Conv = "onnx.Conv";

    /// <summary>The ConvTranspose operator.</summary>
    public const string ConvTranspose = "onnx.ConvTranspose";

    private static readonly string[] AutoPads = ["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"];

    /// <inheritdoc />
    public IReadOnlyList<string> Calls { get; } = [Conv, ConvTranspose];

    /// <inheritdoc />
    public int OptionalArrayArguments(string call) => 1;

    /// <inheritdoc />
    public string? NotLive =>
        "ONNX operators are not Python functions; the reference for ONNX is the ONNX authors' own outputs, their node "
        + "tests imported by `convparity generate --suite onnx` (fixtures/onnx)";

    /// <inheritdoc />
    public ConvPlan Plan(string call, IReadOnlyList<int[]> argShapes, Kwargs kwargs)
    {
        ArgumentNullException.ThrowIfNull(argShapes);
        ArgumentNullException.ThrowIfNull(kwargs);
        if (argShapes.Count is not (2 or 3))
            ConventionRegistry.RequireArgCountWithBias(call, argShapes, 2, "B", 0);
        int[] x = argShapes[0],
            w = argShapes[1];
        if (x.Length < 3)
            throw new InvalidCallException(
                call,
                null,
                $"X has shape [{Tensor.FormatShape(x)}] ({x.Length}-D); (N, C, D1, ...) with at least one spatial axis "
                    + "expected."
            );
        int rank = x.Length - 2;
        if (rank > ConvProblem.MaxRank)
            throw new UnsupportedCallException(
                call,
                null,
                $"X has {rank} spatial axes [{Tensor.FormatShape(x)}]; ConvParity handles 1 to {ConvProblem.MaxRank}."
            );
        ConventionRegistry.RequireRank(call, "W", w, rank + 2);
        var settings = Read(call, rank, w, kwargs);
        return call == Conv
            ? PlanConv(call, argShapes, settings, kwargs)
            : PlanTranspose(call, argShapes, settings, kwargs);
    }

    private sealed record Settings(string AutoPad, int[] Kernel, int[] Stride, int[] Dilation, int Group)
    {
        public int Effective(int axis) => (Kernel[axis] - 1) * Dilation[axis] + 1;
    }

    /// <summary>The attributes both operators share, checked against the spec.</summary>
    private static Settings Read(string call, int rank, int[] w, Kwargs kwargs)
    {
        string autoPad = AutoPad(kwargs);
        int[] kernel = w[2..];
        if (IntList(kwargs, "kernel_shape", rank) is { } declared && !declared.SequenceEqual(kernel))
            throw kwargs.Invalid(
                "kernel_shape",
                $"[{Tensor.FormatShape(declared)}] is not the spatial shape of W [{Tensor.FormatShape(w)}]"
            );
        int[] stride = IntList(kwargs, "strides", rank) ?? Ones(rank);
        int[] dilation = IntList(kwargs, "dilations", rank) ?? Ones(rank);
        RequirePositive(kwargs, "strides", stride);
        RequirePositive(kwargs, "dilations", dilation);
        int group = Group(kwargs);
        if (kernel.Contains(0))
            throw new InvalidCallException(call, null, $"W [{Tensor.FormatShape(w)}] has an empty kernel axis.");
        return new Settings(autoPad, kernel, stride, dilation, group);
    }

    private static ConvPlan PlanConv(string call, IReadOnlyList<int[]> argShapes, Settings s, Kwargs kwargs)
    {
        int[] x = argShapes[0],
            w = argShapes[1];
        int rank = x.Length - 2;
        if ((long)w[1] * s.Group != x[1])
            throw kwargs.Invalid(
                "group",
                $"{s.Group} groups of W's {w[1]} channels each (W [{Tensor.FormatShape(w)}]) do not make X's {x[1]} "
                    + $"channels (X [{Tensor.FormatShape(x)}])"
            );
        if (w[0] % s.Group != 0)
            throw kwargs.Invalid("group", $"W's {w[0]} output channels are not divisible by {s.Group} groups");
        bool bias = ConventionRegistry.RequireArgCountWithBias(call, argShapes, 2, "B", w[0]);
        var pads = Pads(kwargs, rank, s.AutoPad);
        int[] before = new int[rank],
            after = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            if (s.AutoPad is "SAME_UPPER" or "SAME_LOWER")
            {
                // Output ceil(in / stride); the padding that takes, never negative, odd position at the end (UPPER)
                // or the beginning (LOWER).
                long output = (x[a + 2] + (long)s.Stride[a] - 1) / s.Stride[a];
                long total = Math.Max(0, (output - 1) * s.Stride[a] + s.Effective(a) - x[a + 2]);
                before[a] = (int)(s.AutoPad == "SAME_UPPER" ? total / 2 : total - total / 2);
                after[a] = (int)(total - before[a]);
            }
            else if (pads is not null)
                (before[a], after[a]) = (pads[a], pads[a + rank]);
        }
        var problem = Build(
            call,
            x[0],
            x[1],
            w[0],
            [.. x[2..]],
            s,
            (before, after, bias),
            "the input with its pads is shorter than the dilated kernel"
        );
        return Describe(call, problem, ConvOperation.Forward, problem.OutputShape, s);
    }

    private static ConvPlan PlanTranspose(string call, IReadOnlyList<int[]> argShapes, Settings s, Kwargs kwargs)
    {
        int[] x = argShapes[0],
            w = argShapes[1];
        int rank = x.Length - 2;
        if (w[0] != x[1])
            throw new InvalidCallException(
                call,
                null,
                $"W [{Tensor.FormatShape(w)}] is (C, M/group, k...) with C = {w[0]}, but X [{Tensor.FormatShape(x)}] "
                    + $"has {x[1]} channels."
            );
        if (x[1] % s.Group != 0)
            throw kwargs.Invalid("group", $"X's {x[1]} channels are not divisible by {s.Group} groups");
        long outChannels = (long)w[1] * s.Group;
        if (outChannels > int.MaxValue)
            throw kwargs.Invalid("group", $"{s.Group} groups of {w[1]} output channels are too many");
        bool bias = ConventionRegistry.RequireArgCountWithBias(call, argShapes, 2, "B", (int)outChannels);
        int[] outputPadding = IntList(kwargs, "output_padding", rank) ?? new int[rank];
        for (int a = 0; a < rank; a++)
            if (outputPadding[a] < 0 || outputPadding[a] >= Math.Max(s.Stride[a], s.Dilation[a]))
                throw kwargs.Invalid(
                    "output_padding",
                    $"[{Tensor.FormatShape(outputPadding)}]: each entry must be at least 0 and less than the axis's "
                        + $"stride or its dilation (axis {a}: stride {s.Stride[a]}, dilation {s.Dilation[a]})"
                );
        int[]? outputShape = OutputShape(kwargs, rank, x[0], (int)outChannels);
        // Explicit pads count only without output_shape and without auto_pad; the spec ignores them otherwise.
        var pads = outputShape is null ? Pads(kwargs, rank, s.AutoPad) : Ignored(kwargs, "pads");
        if (outputShape is null && s.AutoPad is "SAME_UPPER" or "SAME_LOWER")
            outputShape =
            [
                .. Enumerable.Range(0, rank).Select(a => (int)Math.Min(int.MaxValue, (long)x[a + 2] * s.Stride[a])),
            ];

        int[] size = new int[rank],
            before = new int[rank],
            after = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            // The full output of ConvTranspose on this axis: every position some input element reaches, then
            // output_padding more at the end.
            long full = (long)s.Stride[a] * (x[a + 2] - 1) + outputPadding[a] + s.Effective(a);
            long begin,
                total;
            if (outputShape is not null)
            {
                total = full - outputShape[a];
                long half = (long)Math.Floor(total / 2.0);
                begin = s.AutoPad == "SAME_UPPER" ? half : total - half;
            }
            else
            {
                (begin, total) = pads is null ? (0, 0) : (pads[a], (long)pads[a] + pads[a + rank]);
            }
            long length = full - total;
            // With output_shape (given, or SAME's X's size times the stride) the length is that shape's entry, at
            // least 1: only pads can make it empty.
            if (length < 1 || length > int.MaxValue)
                throw kwargs.Invalid(
                    "pads",
                    $"axis {a}: the output has {length} positions ({full} before its pads {begin}/{total - begin})"
                );
            if (begin < 0)
                throw kwargs.Unsupported(
                    "output_shape",
                    $"axis {a}: an output of {length} positions needs {-begin} zero position(s) before the "
                        + "transposed convolution's first one; a ConvProblem pads by at least 0"
                );
            // Forward view: an input of `length` positions with `begin` before it gives X's size with the smallest
            // pad after it that is not negative.
            long room = (long)s.Stride[a] * (x[a + 2] - 1) + s.Effective(a) - length - begin;
            if (room + s.Stride[a] - 1 < 0)
                throw kwargs.Unsupported(
                    outputShape is null ? "output_padding" : "output_shape",
                    $"axis {a}: the output reaches {-room} position(s) past the last that an input element reaches, "
                        + "more than the stride covers; a ConvProblem pads by at least 0"
                );
            (size[a], before[a], after[a]) = ((int)length, (int)begin, (int)Math.Max(0, room));
        }
        var problem = Build(call, x[0], (int)outChannels, w[0], size, s, (before, after, bias), "the output is empty");
        // Stryker disable all : a guard against a mistake in the arithmetic above; no call reaches it
        if (!problem.OutputSize.SequenceEqual(x[2..]))
            throw new InvalidOperationException(
                $"{call}: the forward view [{string.Join("x", problem.OutputSize)}] is not X's size "
                    + $"[{Tensor.FormatShape(x[2..])}]."
            );
        // Stryker restore all
        return Describe(call, problem, ConvOperation.GradInput, problem.InputShape, s);
    }

    private static ConvProblem Build(
        string call,
        int batch,
        int inChannels,
        int outChannels,
        int[] inputSize,
        Settings s,
        (int[] Before, int[] After, bool Bias) extra,
        string empty
    )
    {
        var spec = new ConvProblemSpec
        {
            Batch = batch,
            InChannels = inChannels,
            OutChannels = outChannels,
            InputSize = inputSize,
            KernelSize = s.Kernel,
            PadBefore = extra.Before,
            PadAfter = extra.After,
            Stride = s.Stride,
            Dilation = s.Dilation,
            Groups = s.Group,
            Flip = false,
            Boundary = Boundary.Zero,
            Bias = extra.Bias,
        };
        if (!ConvProblem.TryCreate(spec, out var problem, out string? error))
            throw new InvalidCallException(call, null, $"{empty}: {error}");
        return problem;
    }

    /// <summary>auto_pad: one of the four strings, NOTSET when absent.</summary>
    private static string AutoPad(Kwargs kwargs)
    {
        var node = kwargs.NotNull("auto_pad");
        if (node is null)
            return "NOTSET";
        string? value = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (value is null || !AutoPads.Contains(value, StringComparer.Ordinal))
            throw kwargs.Invalid(
                "auto_pad",
                $"{node.ToJsonString()} is not one of {string.Join(", ", AutoPads)} (a STRING attribute)"
            );
        return value;
    }

    /// <summary>pads: 2 x rank non-negative ints (beginnings, then ends), only with auto_pad NOTSET; null when
    /// absent.</summary>
    private static int[]? Pads(Kwargs kwargs, int rank, string autoPad)
    {
        var pads = IntList(kwargs, "pads", 2 * rank);
        if (pads is null)
            return null;
        if (autoPad != "NOTSET")
            throw kwargs.Invalid("pads", $"cannot be used together with auto_pad {autoPad} (only with NOTSET)");
        if (pads.Any(p => p < 0))
            throw kwargs.Invalid("pads", $"[{Tensor.FormatShape(pads)}]: every entry must be at least 0");
        return pads;
    }

    /// <summary>An attribute the spec ignores here: marked as read, never used.</summary>
    private static int[]? Ignored(Kwargs kwargs, string name)
    {
        kwargs.Ignore(name);
        return null;
    }

    /// <summary>output_shape: the spatial sizes (or the whole shape, N and M included); null when absent.</summary>
    private static int[]? OutputShape(Kwargs kwargs, int rank, int batch, int outChannels)
    {
        var node = kwargs.NotNull("output_shape");
        if (node is null)
            return null;
        int length = node is JsonArray list ? list.Count : 0;
        var shape = IntList(kwargs, "output_shape", length == rank + 2 ? rank + 2 : rank)!;
        if (shape.Length == rank + 2)
        {
            if (shape[0] != batch || shape[1] != outChannels)
                throw kwargs.Invalid(
                    "output_shape",
                    $"[{Tensor.FormatShape(shape)}] does not begin with N = {batch} and M = {outChannels}"
                );
            shape = shape[2..];
        }
        if (shape.Any(d => d < 1))
            throw kwargs.Invalid("output_shape", $"[{Tensor.FormatShape(shape)}]: every size must be at least 1");
        return shape;
    }

    /// <summary>group: an int of at least 1, 1 when absent.</summary>
    private static int Group(Kwargs kwargs)
    {
        var node = kwargs.NotNull("group");
        if (node is null)
            return 1;
        if (node.GetValueKind() != JsonValueKind.Number || !IsInt(node, out int group))
            throw kwargs.Invalid("group", $"{node.ToJsonString()} is not an integer (an INT attribute)");
        if (group < 1)
            throw kwargs.Invalid("group", $"{group}: it must be at least 1");
        return group;
    }

    /// <summary>An INTS attribute of exactly <paramref name="length"/> entries; null when absent.</summary>
    private static int[]? IntList(Kwargs kwargs, string name, int length)
    {
        var node = kwargs.NotNull(name);
        if (node is null)
            return null;
        if (node is not JsonArray list)
            throw kwargs.Invalid(name, $"{node.ToJsonString()} is not a list of integers (an INTS attribute)");
        if (list.Count != length)
            throw kwargs.Invalid(name, $"{node.ToJsonString()} has {list.Count} entries; {length} expected");
        var values = new int[length];
        for (int i = 0; i < length; i++)
            if (list[i] is not { } item || item.GetValueKind() != JsonValueKind.Number || !IsInt(item, out values[i]))
                throw kwargs.Invalid(name, $"{node.ToJsonString()}: entry {i} is not an integer");
        return values;
    }

    private static bool IsInt(JsonNode node, out int value)
    {
        double d = Kwargs.ValueOf(node);
        bool whole = d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue;
        // Stryker disable once Conditional : every caller refuses the value when it is not whole, never reading it
        value = whole ? (int)d : 0;
        return whole;
    }

    private static void RequirePositive(Kwargs kwargs, string name, int[] values)
    {
        if (values.Any(v => v < 1))
            throw kwargs.Invalid(name, $"[{Tensor.FormatShape(values)}]: every entry must be at least 1");
    }

    private static int[] Ones(int rank) => [.. Enumerable.Repeat(1, rank)];

    private static ConvPlan Describe(string call, ConvProblem p, ConvOperation operation, int[] result, Settings s)
    {
        string what =
            operation == ConvOperation.GradInput
                ? "transposed convolution (gradient w.r.t. the input of the correlation) of "
                : "";
        string pads = string.Join(", ", Enumerable.Range(0, p.Rank).Select(a => $"{p.PadBefore[a]}/{p.PadAfter[a]}"));
        return new ConvPlan(
            call,
            p,
            operation,
            result,
            ReferenceAlgorithm.Direct,
            $"{what}correlation (filters not flipped), auto_pad {s.AutoPad}, pads before/after {pads}, "
                + $"stride {string.Join("x", p.Stride)}, dilation {string.Join("x", p.Dilation)}, groups {p.Groups}"
                + (p.Bias ? ", plus B per output channel" : "")
        );
    }
}
