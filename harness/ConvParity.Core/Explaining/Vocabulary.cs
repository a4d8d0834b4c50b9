using System.Text.Json;
using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Explaining;

/// <summary>
/// Says a convention in each library's own words: proposes the calls of numpy, scipy, Theano and ONNX that
/// could compute it, plans each through the library's convention and keeps only those whose answer on
/// the actual arrays reproduces y within the bound. Nothing is claimed that was not checked.
/// </summary>
public static class Vocabulary
{
    private static readonly string[] Modes = ["valid", "same", "full"];

    /// <summary>The library calls that reproduce <paramref name="y"/> from <paramref name="x"/> and <paramref
    /// name="w"/> as <paramref name="h"/> does, as a person would write them.</summary>
    public static IReadOnlyList<string> Calls(Hypothesis h, Tensor x, Tensor w, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(y);
        var checker = new ConventionSearch.Checker(x, w, y, new Probe(y), ConventionSearch.DefaultMemoryBudget);
        return Calls(h, null, x, w, y, checker);
    }

    /// <summary>The calls for a convention that matched y: a call that plans to the same computation is that match
    /// (no second run); any other is checked.</summary>
    internal static IReadOnlyList<string> Calls(
        Trial matched,
        Tensor x,
        Tensor w,
        Tensor y,
        ConventionSearch.Checker checker
    ) => Calls(matched.Hypothesis, matched.Matches && !matched.Sampled ? matched : null, x, w, y, checker);

    private static IReadOnlyList<string> Calls(
        Hypothesis h,
        Trial? matched,
        Tensor x,
        Tensor w,
        Tensor y,
        ConventionSearch.Checker checker
    )
    {
        // Reduced precision: the calls on the rounded arrays, the rounding written the way a library does it.
        var unrounded = h.WithRounding(OperandRounding.None);
        bool rounded = h.Rounding != OperandRounding.None;
        var (xr, wr) = rounded
            ? (x.Map(v => Rounding.Apply(h.Rounding, v)), w.Map(v => Rounding.Apply(h.Rounding, v)))
            : (x, w);
        if (rounded && RoundingText(h.Rounding, "x") is null)
            return [];
        var roundedChecker = rounded ? checker.For(xr, wr) : checker;
        var said = new List<string>();
        int notChecked = 0;
        foreach (var (call, kwargs, xText, wText, xArg, wArg) in Proposals(unrounded, xr, wr, y))
        {
            if (!ConventionRegistry.TryPlan(call, [xArg.ShapeArray(), wArg.ShapeArray()], kwargs, out var plan, out _))
                continue;
            if (!ConventionSearch.Squeezed(plan.ResultShape).SequenceEqual(ConventionSearch.Squeezed(y.Shape)))
                continue;
            var proposed = Hypothesis.FromPlan(plan).WithResultShape(y.ShapeArray());
            bool same = matched is not null && proposed.Key == unrounded.Key;
            if (!same && checker.Expired)
            {
                notChecked++;
                continue;
            }
            if (
                same
                || roundedChecker.For(xArg, wArg).Check(new Candidate(proposed, null))
                    is { Matches: true, Sampled: false }
            )
                said.Add(
                    call.StartsWith(Onnx, StringComparison.Ordinal)
                        ? OnnxWords(call, kwargs)
                        : Format(call, Wrap(h.Rounding, xText), Wrap(h.Rounding, wText), kwargs)
                );
        }
        if (!rounded && SumOfProducts(h, x, w) is { } expression)
            said.Add(expression);
        if (notChecked > 0)
            checker.NotTried.Add(
                $"{notChecked} library calls that may say '{h.Describe()}' were not checked: the time budget ran out"
            );
        return [.. said.Distinct()];
    }

    /// <summary>An operand rounded to <paramref name="format"/> as Python writes it; null where no library on the
    /// CPU rounds to it (TF32: cuDNN and cuBLAS do it inside, with torch.backends.cudnn.allow_tf32).</summary>
    private static string? RoundingText(OperandRounding format, string operand) =>
        format switch
        {
            OperandRounding.None => operand,
            OperandRounding.Float16 or OperandRounding.Float16OrTf32 =>
                $"{operand}.astype(numpy.float16).astype(numpy.float32)",
            OperandRounding.BFloat16 => $"torch.from_numpy({operand}).bfloat16().float().numpy()",
            _ => null,
        };

    private static string Wrap(OperandRounding format, string operand) => RoundingText(format, operand) ?? operand;

    private static IEnumerable<(
        string Call,
        JsonObject Kwargs,
        string XText,
        string WText,
        Tensor X,
        Tensor W
    )> Proposals(Hypothesis h, Tensor x, Tensor w, Tensor y)
    {
        var p = h.Problem;
        bool forward = h.Operation == ConvOperation.Forward;
        // Theano reads (N, C, spatial...) data and (K, C, k...) filters; the check below decides whether this
        // hypothesis is that.
        if (
            x.Rank == p.Rank + 2
            && w.Rank == p.Rank + 2
            && p.Boundary.Kind == BoundaryKind.Zero
            && TheanoBorder(h) is { } border
        )
        {
            int[] stride = [.. p.Stride];
            if (forward)
            {
                string conv = p.Rank == 3 ? "theano.tensor.nnet.conv3d" : "theano.tensor.nnet.conv2d";
                if (p.Rank >= 2)
                    yield return (
                        conv,
                        WithDilationAndGroups(
                            new JsonObject
                            {
                                ["border_mode"] = border.DeepClone(),
                                ["subsample"] = Ints(stride),
                                ["filter_flip"] = p.Flip,
                            },
                            p,
                            "filter_dilation"
                        ),
                        "x",
                        "w",
                        x,
                        w
                    );
                if (p.Rank == 2)
                    yield return (
                        "theano.sandbox.cuda.dnn.dnn_conv",
                        WithDilationAndGroups(
                            new JsonObject
                            {
                                ["border_mode"] = border.DeepClone(),
                                ["subsample"] = Ints(stride),
                                ["conv_mode"] = p.Flip ? "conv" : "cross",
                            },
                            p,
                            "dilation"
                        ),
                        "x",
                        "w",
                        x,
                        w
                    );
            }
            else if (h.Operation == ConvOperation.GradInput && p.Rank is 2 or 3)
            {
                string call = $"theano.tensor.nnet.abstract_conv.conv{p.Rank}d_grad_wrt_inputs";
                yield return (
                    call,
                    WithDilationAndGroups(
                        new JsonObject
                        {
                            ["input_shape"] = Ints(y.ShapeArray()),
                            ["border_mode"] = border.DeepClone(),
                            ["subsample"] = Ints(stride),
                            ["filter_flip"] = p.Flip,
                        },
                        p,
                        "filter_dilation"
                    ),
                    "x",
                    "w",
                    x,
                    w
                );
            }
        }
        if (OnnxProposal(h, x, w, y) is { } onnx)
            yield return (onnx.Call, onnx.Attributes, "X", "W", x, w);
        foreach (var proposal in Torch(h, x, w))
            yield return proposal;
        if (!forward)
            yield break;

        string signal = p.Flip ? "convolve" : "correlate";
        foreach (string mode in Modes)
            yield return (
                $"scipy.signal.{signal}",
                new JsonObject { ["mode"] = mode, ["method"] = "direct" },
                "x",
                "w",
                x,
                w
            );
        var (x2, w2, xText, wText) =
            x.Rank == 2 && w.Rank == 2 ? (x, w, "x", "w") : (Squeeze(x), Squeeze(w), "x.squeeze()", "w.squeeze()");
        if (x2.Rank == 2 && w2.Rank == 2 && SignalBoundary(p.Boundary) is { } boundary)
            foreach (string mode in Modes)
            {
                var kwargs = new JsonObject { ["mode"] = mode, ["boundary"] = boundary };
                if (p.Boundary.Kind == BoundaryKind.Constant)
                    kwargs["fillvalue"] = (double)p.Boundary.Value;
                yield return ($"scipy.signal.{signal}2d", kwargs, xText, wText, x2, w2);
            }
        if (x.Rank == w.Rank && y.Length == x.Length)
        {
            // ndimage centres the kernel at n//2 + origin (correlate) or, reversed, at (n-1)//2 - origin (convolve).
            int lead = x.Rank - p.Rank;
            var origin = new int[x.Rank];
            for (int a = 0; a < p.Rank; a++)
            {
                int n = p.KernelSize[a],
                    before = h.PadBefore[a];
                origin[lead + a] = p.Flip ? (n - 1) / 2 - before : before - n / 2;
            }
            var kwargs = new JsonObject { ["mode"] = NdimageMode(p.Boundary), ["origin"] = Ints(origin) };
            if (p.Boundary.Kind == BoundaryKind.Constant)
                kwargs["cval"] = (double)p.Boundary.Value;
            yield return ($"scipy.ndimage.{signal}", kwargs, "x", "w", x, w);
        }
        if (x.Rank == 1 && w.Rank == 1)
            foreach (string mode in Modes)
                yield return ($"numpy.{signal}", new JsonObject { ["mode"] = mode }, "x", "w", x, w);
    }

    private const string Onnx = "onnx.";

    /// <summary>
    /// ONNX's node for the hypothesis: Conv for a correlation, ConvTranspose for its gradient w.r.t. the input, on
    /// (N, C, spatial...) data with zero padding. auto_pad SAME_UPPER / SAME_LOWER where the pads are theirs, else
    /// pads (and output_padding for a transposed convolution's extra positions at the end); attributes at ONNX's
    /// defaults are left out. Null where ONNX has no such node.
    /// </summary>
    private static (string Call, JsonObject Attributes)? OnnxProposal(Hypothesis h, Tensor x, Tensor w, Tensor y)
    {
        var p = h.Problem;
        bool forward = h.Operation == ConvOperation.Forward;
        if (
            p.Flip
            || p.Unshared
            || p.Boundary.Kind != BoundaryKind.Zero
            || x.Rank != p.Rank + 2
            || w.Rank != p.Rank + 2
            || y.Rank != p.Rank + 2
            || !(forward || h.Operation == ConvOperation.GradInput)
        )
            return null;
        int rank = p.Rank;
        int[] before = [.. h.PadBefore],
            after = new int[rank],
            extra = new int[rank];
        bool upper = forward,
            lower = forward;
        for (int a = 0; a < rank; a++)
        {
            int effective = (p.KernelSize[a] - 1) * p.Dilation[a] + 1,
                stride = p.Stride[a];
            if (before[a] < 0)
                return null;
            if (forward)
            {
                // Input the last window does not reach (a stride leftover) is what ONNX's floor drops too.
                after[a] = h.PadAfter[a] < 0 && -h.PadAfter[a] < stride ? 0 : h.PadAfter[a];
                int size = x.Shape[a + 2],
                    output = (size + stride - 1) / stride,
                    total = Math.Max(0, (output - 1) * stride + effective - size);
                upper &= before[a] == total / 2 && after[a] == total - total / 2;
                lower &= before[a] == total - total / 2 && after[a] == total / 2;
            }
            else
            {
                // The full transposed output, less the pads, is y's size; positions past it are output_padding.
                int full = stride * (x.Shape[a + 2] - 1) + effective;
                after[a] = full - before[a] - y.Shape[a + 2];
                (after[a], extra[a]) = after[a] < 0 ? (0, -after[a]) : (after[a], 0);
            }
            if (after[a] < 0)
                return null;
        }
        var attributes = new JsonObject();
        if (upper || lower)
        {
            if (before.Any(b => b != 0) || after.Any(b => b != 0))
                attributes["auto_pad"] = upper ? "SAME_UPPER" : "SAME_LOWER";
        }
        else if (before.Any(b => b != 0) || after.Any(b => b != 0))
            attributes["pads"] = Ints([.. before, .. after]);
        if (p.Stride.Any(s => s != 1))
            attributes["strides"] = Ints(p.Stride);
        if (p.Dilation.Any(d => d != 1))
            attributes["dilations"] = Ints(p.Dilation);
        if (p.Groups != 1)
            attributes["group"] = p.Groups;
        if (extra.Any(e => e != 0))
            attributes["output_padding"] = Ints(extra);
        return (forward ? Onnx + "Conv" : Onnx + "ConvTranspose", attributes);
    }

    /// <summary>An ONNX node as its operator and attributes: <c>onnx Conv auto_pad=SAME_LOWER strides=[2,
    /// 2]</c>.</summary>
    private static string OnnxWords(string call, JsonObject attributes) =>
        $"onnx {call[Onnx.Length..]}{string.Concat(attributes.Select(kv => $" {kv.Key}={OnnxValue(kv.Value)}"))}";

    private static string OnnxValue(JsonNode? value) =>
        value switch
        {
            JsonArray list => $"[{string.Join(", ", list.Select(OnnxValue))}]",
            JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
            _ => value?.ToJsonString() ?? "None",
        };

    /// <summary>
    /// torch.nn.functional's conv1d/2d/3d and conv_transpose1d/2d/3d, in torch's words (stride, padding, dilation,
    /// groups, output_padding): (N, C, spatial...) data, zero padding, no kernel flip. Kept only where the
    /// convention registry knows torch's calls and the call reproduces y.
    /// </summary>
    private static IEnumerable<(string Call, JsonObject Kwargs, string XText, string WText, Tensor X, Tensor W)> Torch(
        Hypothesis h,
        Tensor x,
        Tensor w
    )
    {
        var p = h.Problem;
        int rank = p.Rank;
        if (x.Rank != rank + 2 || w.Rank != rank + 2 || p.Flip || p.Boundary.Kind != BoundaryKind.Zero)
            yield break;
        int[] before = h.PadBefore,
            after = h.PadAfter;
        if (before.Any(b => b < 0))
            yield break;
        var kwargs = new JsonObject
        {
            ["stride"] = Ints(p.Stride),
            ["padding"] = Ints(before),
            ["dilation"] = Ints(p.Dilation),
            ["groups"] = (double)p.Groups,
        };
        if (h.Operation == ConvOperation.Forward)
        {
            // torch pads both sides alike; input the last window does not reach is dropped.
            if (Enumerable.Range(0, rank).Any(a => after[a] > before[a] || before[a] - after[a] >= p.Stride[a]))
                yield break;
            yield return ($"torch.nn.functional.conv{rank}d", kwargs, "x", "w", x, w);
        }
        else if (h.Operation == ConvOperation.GradInput)
        {
            // conv_transpose pads both sides alike, and output_padding adds that many positions at the end.
            int[] extra = [.. Enumerable.Range(0, rank).Select(a => before[a] - after[a])];
            if (extra.Where((e, a) => e < 0 || e >= Math.Max(p.Stride[a], p.Dilation[a])).Any())
                yield break;
            kwargs["output_padding"] = Ints(extra);
            yield return ($"torch.nn.functional.conv_transpose{rank}d", kwargs, "x", "w", x, w);
        }
    }

    /// <summary>Adds Theano's dilation (under <paramref name="dilationName"/>) and num_groups where they are not
    /// 1.</summary>
    private static JsonObject WithDilationAndGroups(JsonObject kwargs, ConvProblem p, string dilationName)
    {
        if (p.Dilation.Any(d => d != 1))
            kwargs[dilationName] = Ints(p.Dilation);
        if (p.Groups != 1)
            kwargs["num_groups"] = (double)p.Groups;
        return kwargs;
    }

    /// <summary>numpy.sum(x*w), with the kernel reversed for a true convolution: a valid convolution of equal shapes,
    /// one output.</summary>
    private static string? SumOfProducts(Hypothesis h, Tensor x, Tensor w)
    {
        var p = h.Problem;
        bool single = p.OutputShape.All(d => d == 1) && h.Operation == ConvOperation.Forward;
        if (!single || !x.Shape.SequenceEqual(w.Shape) || !h.First.KeepsOrder || !h.Second.KeepsOrder)
            return null;
        if (h.PadBefore.Any(b => b != 0) || h.PadAfter.Any(a => a != 0) || h.Rounding != OperandRounding.None)
            return null;
        if (!p.Flip || p.KernelSize.All(k => k == 1))
            return "numpy.sum(x*w)";
        return $"numpy.sum(x*w[..., {string.Join(", ", Enumerable.Repeat("::-1", p.Rank))}])";
    }

    /// <summary>Theano's border_mode for the hypothesis's pads: a name where one fits, else the pads; null when it
    /// starts inside the input.</summary>
    private static JsonNode? TheanoBorder(Hypothesis h)
    {
        var p = h.Problem;
        int rank = p.Rank;
        int[] before = h.PadBefore,
            after = h.PadAfter;
        for (int a = 0; a < rank; a++)
        {
            if (before[a] < 0)
                return null;
            // Input the last window does not reach (a stride leftover) is what Theano's floor drops too.
            if (after[a] < 0)
            {
                if (-after[a] >= p.Stride[a])
                    return null;
                after[a] = 0;
            }
        }
        var effective = Enumerable.Range(0, rank).Select(a => (p.KernelSize[a] - 1) * p.Dilation[a] + 1).ToArray();
        bool symmetric = before.SequenceEqual(after);
        if (symmetric && before.All(b => b == 0))
            return "valid";
        if (symmetric && before.Select((b, a) => b == effective[a] - 1).All(t => t))
            return "full";
        if (symmetric && before.Select((b, a) => b == effective[a] / 2).All(t => t))
            return "half";
        if (symmetric)
            return Ints(before);
        return new JsonArray([.. Enumerable.Range(0, rank).Select(a => (JsonNode)Ints([before[a], after[a]]))]);
    }

    private static string? SignalBoundary(Boundary b) =>
        b.Kind switch
        {
            BoundaryKind.Zero or BoundaryKind.Constant => "fill",
            BoundaryKind.Wrap => "wrap",
            BoundaryKind.Reflect => "symm",
            _ => null,
        };

    private static string NdimageMode(Boundary b) =>
        b.Kind switch
        {
            BoundaryKind.Zero or BoundaryKind.Constant => "constant",
            BoundaryKind.Reflect => "reflect",
            BoundaryKind.Mirror => "mirror",
            BoundaryKind.Nearest => "nearest",
            _ => "wrap",
        };

    private static Tensor Squeeze(Tensor t)
    {
        var shape = ConventionSearch.Squeezed(t.Shape);
        return t.Reshape(shape.Length == 0 ? [1] : shape);
    }

    /// <summary>Integers as JSON numbers read back the way parsed JSON is (as doubles).</summary>
    private static JsonArray Ints(IEnumerable<int> values) =>
        new([.. values.Select(v => (JsonNode)JsonValue.Create((double)v))]);

    /// <summary>The call as Python: <c>scipy.signal.convolve(x, w, mode='valid', method='direct')</c>.</summary>
    private static string Format(string call, string xText, string wText, JsonObject kwargs) =>
        $"{call}({xText}, {wText}{string.Concat(kwargs.Select(kv => $", {kv.Key}={Python(kv.Value)}"))})";

    /// <summary>A JSON value as a Python literal (lists become tuples).</summary>
    private static string Python(JsonNode? node) =>
        node switch
        {
            null => "None",
            JsonArray list => list.Count == 1 ? $"({Python(list[0])},)" : $"({string.Join(", ", list.Select(Python))})",
            _ => node.GetValueKind() switch
            {
                JsonValueKind.String => $"'{node.GetValue<string>()}'",
                JsonValueKind.True => "True",
                JsonValueKind.False => "False",
                _ => node.ToJsonString(),
            },
        };
}
