using System.Text.Json;
using System.Text.Json.Nodes;
using static ConvParity.Python.Generation.Sketch;

namespace ConvParity.Python.Generation;

/// <summary>
/// Theano 1.0.5 (theano.tensor.nnet.conv2d/conv3d, abstract_conv gradients, the legacy ConvOp,
/// signal.conv.conv2d, cuDNN dnn_conv), following its documented signatures: every border_mode form
/// (valid, full, half, int, per-axis ints, per-axis (before, after) pairs), subsample, filter_flip,
/// filter_dilation, num_groups and unshared. Layouts are NCHW / NCDHW, filters (out, in/groups, k...).
/// </summary>
internal static class TheanoCatalogue
{
    private const string Conv2d = "theano.tensor.nnet.conv2d",
        Conv3d = "theano.tensor.nnet.conv3d";
    private const string GradInputs = "theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_inputs";
    private const string GradWeights = "theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_weights";
    private const string Legacy = "theano.tensor.nnet.conv.conv2d",
        Signal = "theano.tensor.signal.conv.conv2d";
    private const string CudaDnn = "theano.sandbox.cuda.dnn.dnn_conv",
        GpuDnn = "theano.gpuarray.dnn.dnn_conv";

    public static readonly string[] Calls = [Conv2d, Conv3d, GradInputs, GradWeights, Legacy, Signal, CudaDnn, GpuDnn];

    private static readonly JsonNode[] Borders2d = ["valid", "full", "half", 1, Ints(1, 2), Pairs((0, 2), (1, 0))];
    private static readonly JsonNode[] Borders3d =
    [
        "valid",
        "full",
        "half",
        1,
        Ints(1, 0, 2),
        Pairs((0, 1), (1, 0), (2, 1)),
    ];

    /// <summary>
    /// Cases added after the first suite was written: 40 filters over 24 channels, more than the cpu engine's
    /// 32-channel block and channel-heavy enough for the gpu engine's implicit GEMM, forward and both gradients.
    /// </summary>
    internal static IEnumerable<CaseSketch> Later()
    {
        yield return Forward(
            Conv2d,
            [2, 24, 12, 12],
            [40, 24, 3, 3],
            "half",
            [1, 1],
            true,
            [1, 1],
            1,
            false,
            "paths/channels"
        );
        yield return Forward(
            Conv2d,
            [2, 24, 12, 12],
            [40, 12, 3, 3],
            "valid",
            [1, 1],
            false,
            [1, 1],
            2,
            false,
            "paths/channels"
        );
        yield return Gradient(
            GradInputs,
            [2, 24, 12, 12],
            [40, 24, 3, 3],
            "half",
            [1, 1],
            true,
            [1, 1],
            1,
            "paths/channels"
        );
        yield return Gradient(
            GradWeights,
            [2, 24, 12, 12],
            [40, 24, 3, 3],
            "half",
            [1, 1],
            true,
            [1, 1],
            1,
            "paths/channels"
        );
    }

    public static IEnumerable<CaseSketch> Grid()
    {
        // conv2d: every border_mode form x flip, odd and even kernels.
        foreach (var border in Borders2d)
        foreach (bool flip in new[] { true, false })
        foreach (int[] kernel in new[] { new[] { 3, 3 }, [2, 4] })
            yield return Forward(
                Conv2d,
                [2, 3, 7, 6],
                [4, 3, .. kernel],
                border,
                [1, 1],
                flip,
                [1, 1],
                1,
                false,
                "grid"
            );
        foreach (int[] stride in new[] { new[] { 2, 1 }, [2, 3] })
        foreach (var border in new JsonNode[] { "valid", "half", "full", Pairs((1, 0), (0, 2)) })
            yield return Forward(
                Conv2d,
                [2, 3, 7, 6],
                [4, 3, 3, 2],
                border,
                stride,
                true,
                [1, 1],
                1,
                false,
                "grid/stride"
            );
        foreach (int[] dilation in new[] { new[] { 2, 1 }, [2, 2] })
        foreach (var border in new JsonNode[] { "valid", "half", "full" })
            yield return Forward(
                Conv2d,
                [2, 3, 9, 8],
                [4, 3, 3, 2],
                border,
                [1, 1],
                true,
                dilation,
                1,
                false,
                "grid/dilation"
            );
        foreach (int groups in new[] { 2, 3 })
        foreach (var border in new JsonNode[] { "valid", "half" })
            yield return Forward(
                Conv2d,
                [2, 6, 6, 5],
                [6, 6 / groups, 3, 3],
                border,
                [1, 1],
                true,
                [1, 1],
                groups,
                false,
                "grid/groups"
            );
        foreach (var border in new JsonNode[] { "valid", "half", 1 })
        foreach (bool flip in new[] { true, false })
            yield return Forward(
                Conv2d,
                [1, 2, 6, 5],
                [3, 2, 3, 3],
                border,
                [1, 1],
                flip,
                [1, 1],
                1,
                true,
                "grid/unshared"
            );

        foreach (var border in Borders3d)
        foreach (bool flip in new[] { true, false })
            yield return Forward(
                Conv3d,
                [1, 2, 5, 6, 4],
                [3, 2, 3, 2, 3],
                border,
                [1, 1, 1],
                flip,
                [1, 1, 1],
                1,
                false,
                "grid"
            );
        foreach (var border in new JsonNode[] { "valid", "half" })
            yield return Forward(
                Conv3d,
                [1, 2, 5, 6, 4],
                [3, 2, 3, 2, 3],
                border,
                [2, 1, 2],
                true,
                [1, 1, 1],
                1,
                false,
                "grid/stride"
            );
        foreach (var border in new JsonNode[] { "valid", "full" })
            yield return Forward(
                Conv3d,
                [1, 2, 5, 6, 4],
                [3, 2, 3, 2, 2],
                border,
                [1, 1, 1],
                true,
                [1, 2, 1],
                1,
                false,
                "grid/dilation"
            );
        yield return Forward(
            Conv3d,
            [1, 4, 4, 5, 3],
            [4, 2, 2, 3, 2],
            "half",
            [1, 1, 1],
            true,
            [1, 1, 1],
            2,
            false,
            "grid/groups"
        );

        foreach (string call in new[] { GradInputs, GradWeights })
        {
            foreach (var border in new JsonNode[] { "valid", "full", "half", 1, Pairs((0, 2), (1, 0)) })
            foreach (int[] stride in new[] { new[] { 1, 1 }, [2, 2] })
                yield return Gradient(call, [2, 3, 7, 6], [4, 3, 3, 2], border, stride, true, [1, 1], 1, "grid");
            yield return Gradient(call, [2, 3, 7, 6], [4, 3, 3, 2], "half", [1, 1], false, [1, 1], 1, "grid/noflip");
            yield return Gradient(call, [2, 3, 9, 8], [4, 3, 3, 2], "valid", [1, 1], true, [2, 1], 1, "grid/dilation");
            yield return Gradient(call, [2, 4, 6, 5], [6, 2, 3, 3], "half", [2, 1], true, [1, 1], 2, "grid/groups");
        }

        foreach (string border in new[] { "valid", "full" })
        foreach (int[] stride in new[] { new[] { 1, 1 }, [2, 1], [2, 2] })
            yield return LegacyCase(Legacy, [2, 3, 7, 6], [4, 3, stride[0] == 2 ? 2 : 3, 3], border, stride, "grid");
        foreach (int[] input in new[] { new[] { 7, 6 }, [2, 7, 6] })
        foreach (int[] filters in new[] { new[] { 3, 2 }, [3, 3, 2] })
        foreach (string border in new[] { "valid", "full" })
            yield return LegacyCase(Signal, input, filters, border, [1, 1], "grid");
        foreach (string border in new[] { "valid", "full" })
            yield return LegacyCase(Signal, [2, 7, 6], [3, 2, 2], border, [2, 1], "grid/stride");

        foreach (var sketch in Refusals())
            yield return sketch;

        foreach (string call in new[] { CudaDnn, GpuDnn })
        {
            foreach (var border in Borders2d.Take(5))
            foreach (string convMode in new[] { "conv", "cross" })
                yield return Dnn(call, [2, 3, 7, 6], [4, 3, 3, 2], border, [1, 1], convMode, [1, 1], 1, "grid");
            yield return Dnn(call, [2, 3, 7, 6], [4, 3, 3, 2], "half", [2, 2], "conv", [1, 1], 1, "grid/stride");
            if (call == GpuDnn)
            {
                yield return Dnn(call, [2, 3, 9, 8], [4, 3, 3, 2], "valid", [1, 1], "conv", [2, 1], 1, "grid/dilation");
                yield return Dnn(call, [2, 4, 6, 5], [6, 2, 3, 3], "half", [1, 1], "cross", [1, 1], 2, "grid/groups");
            }
        }
    }

    /// <summary>
    /// Calls Theano 1.0.5 refuses, written as "raises" cases: (before, after) pairs in 3-D, border_mode
    /// strings it does not know, negative pads, num_groups below 1 or not dividing the filters, stacks
    /// that do not match. (conv3d's grid above holds pairs too: the same refusal, in the grid's place.)
    /// </summary>
    private static IEnumerable<CaseSketch> Refusals()
    {
        int[] input = [2, 6, 7, 6],
            filters = [4, 3, 3, 2];
        foreach (JsonNode border in new JsonNode[] { "same", -1, Ints(1, -1), Pairs((0, -1), (1, 0)), Ints(1, 2, 0) })
            yield return Forward(Conv2d, input, [4, 6, 3, 2], border, [1, 1], true, [1, 1], 1, false, "refused");
        yield return Forward(Conv2d, input, filters, "valid", [1, 1], true, [1, 1], 0, false, "refused");
        // 4 filters, 3 groups
        yield return Forward(Conv2d, input, [4, 2, 3, 2], "half", [1, 1], true, [1, 1], 3, false, "refused");
        // 6 channels, 4 in the filters
        yield return Forward(Conv2d, input, [4, 4, 3, 2], "valid", [1, 1], true, [1, 1], 1, false, "refused");
        yield return Forward(
            Conv3d,
            [1, 2, 5, 6, 4],
            [3, 2, 3, 2, 3],
            Pairs((1, 1), (0, 0), (2, 2)),
            [1, 1, 1],
            true,
            [1, 1, 1],
            1,
            false,
            "refused"
        );
        yield return Forward(
            Conv3d,
            [1, 2, 5, 6, 4],
            [3, 2, 3, 2, 3],
            "same",
            [1, 1, 1],
            true,
            [1, 1, 1],
            1,
            false,
            "refused"
        );
        yield return Forward(
            Conv3d,
            [1, 4, 4, 5, 3],
            [3, 2, 2, 3, 2],
            "valid",
            [1, 1, 1],
            true,
            [1, 1, 1],
            2,
            false,
            "refused"
        ); // 3 filters, 2 groups
        yield return Gradient(GradInputs, [2, 3, 7, 6], [4, 3, 3, 2], -1, [1, 1], true, [1, 1], 1, "refused");
        yield return Gradient(GradWeights, [2, 3, 7, 6], [4, 3, 3, 2], "same", [1, 1], true, [1, 1], 1, "refused");
        yield return Gradient(GradInputs, [2, 6, 7, 6], [4, 2, 3, 2], "valid", [1, 1], true, [1, 1], 3, "refused");
        foreach (string call in new[] { Legacy, Signal })
        foreach (string border in new[] { "half", "same" })
            yield return LegacyCase(
                call,
                call == Legacy ? [2, 3, 7, 6] : [2, 7, 6],
                call == Legacy ? [4, 3, 3, 2] : [3, 3, 2],
                border,
                [1, 1],
                "refused"
            );
    }

    public static CaseSketch Draw(string call, Random random)
    {
        int rank = call == Conv3d ? 3 : 2;
        int groups = call is Legacy or Signal or CudaDnn ? 1 : random.Pick([1, 1, 2]);
        int channels = groups * random.Next(1, 3),
            outputs = groups * random.Next(1, 3);
        int[] kernel = [.. Enumerable.Range(0, rank).Select(_ => random.Next(1, 5))];
        int[] stride = [.. Enumerable.Range(0, rank).Select(_ => random.Pick([1, 1, 2]))];
        int[] dilation = call is Legacy or Signal or CudaDnn
            ? [.. Enumerable.Repeat(1, rank)]
            : [.. Enumerable.Range(0, rank).Select(_ => random.Pick([1, 1, 2]))];
        JsonNode border = call is Legacy or Signal
            ? random.Pick(new JsonNode[] { "valid", "full" })
            : random.Next(6) switch
            {
                0 => "valid",
                1 => "full",
                2 => "half",
                3 => random.Next(0, 3),
                4 => Ints([.. Enumerable.Range(0, rank).Select(_ => random.Next(0, 3))]),
                // Theano 1.0.5 refuses (before, after) pairs in 3-D: draws stay answerable (the grid holds the
                // refusal).
                _ when rank == 3 => Ints([.. Enumerable.Range(0, rank).Select(_ => random.Next(0, 3))]),
                _ => Pairs([.. Enumerable.Range(0, rank).Select(_ => (random.Next(0, 3), random.Next(0, 3)))]),
            };
        if (call == CudaDnn && border is JsonArray { Count: > 0 } list && list[0] is JsonArray)
            border = "half"; // the old backend takes no pairs
        var (before, after) = Pads(border, kernel, dilation);
        int[] spatial =
        [
            .. Enumerable
                .Range(0, rank)
                .Select(a => Math.Max(1, (kernel[a] - 1) * dilation[a] + 1 - before[a] - after[a]) + random.Next(0, 6)),
        ];
        int[] input = [random.Next(1, 3), channels, .. spatial];
        int[] filters = [outputs, channels / groups, .. kernel];
        bool flip = random.Chance(0.5);
        return call switch
        {
            Conv2d or Conv3d => Forward(
                call,
                input,
                filters,
                border,
                stride,
                flip,
                dilation,
                groups,
                call == Conv2d && groups == 1 && dilation.All(d => d == 1) && random.Chance(0.25),
                "random"
            ),
            GradInputs or GradWeights => Gradient(
                call,
                input,
                filters,
                border,
                stride,
                flip,
                dilation,
                groups,
                "random"
            ),
            Legacy => LegacyCase(call, input, filters, border.GetValue<string>(), stride, "random"),
            Signal => LegacyCase(
                call,
                random.Chance(0.5) ? input[1..] : input[2..],
                random.Chance(0.5) ? [filters[0], .. kernel] : kernel,
                border.GetValue<string>(),
                stride,
                "random"
            ),
            _ => Dnn(call, input, filters, border, stride, flip ? "conv" : "cross", dilation, groups, "random"),
        };
    }

    /// <summary>conv2d / conv3d. Unshared filters are (out, out rows, out cols, in/groups, kh, kw).</summary>
    private static CaseSketch Forward(
        string call,
        int[] input,
        int[] filters,
        JsonNode border,
        int[] stride,
        bool flip,
        int[] dilation,
        int groups,
        bool unshared,
        string kind
    )
    {
        int rank = input.Length - 2;
        if (unshared)
            filters =
            [
                filters[0],
                .. OutputSize(input[2..], filters[^rank..], border, stride, dilation),
                .. filters[1..],
            ];
        var kwargs = new JsonObject
        {
            ["border_mode"] = border.DeepClone(),
            ["subsample"] = Ints(stride),
            ["filter_flip"] = flip,
            ["filter_dilation"] = Ints(dilation),
            ["num_groups"] = groups,
        };
        if (rank == 2)
            kwargs["unshared"] = unshared;
        return new(
            call,
            [("input", input), ("filters", filters)],
            kwargs,
            Tag(kind, border, stride, flip, dilation, groups, filters[^rank..]) + (unshared ? "/unshared" : "")
        );
    }

    /// <summary>conv2d_grad_wrt_inputs(output_grad, filters, input_shape, ...) and conv2d_grad_wrt_weights(input,
    /// output_grad, filter_shape, ...).</summary>
    private static CaseSketch Gradient(
        string call,
        int[] input,
        int[] filters,
        JsonNode border,
        int[] stride,
        bool flip,
        int[] dilation,
        int groups,
        string kind
    )
    {
        int[] output = [input[0], filters[0], .. OutputSize(input[2..], filters[2..], border, stride, dilation)];
        bool wrtInputs = call == GradInputs;
        var kwargs = new JsonObject();
        kwargs[wrtInputs ? "input_shape" : "filter_shape"] = Ints(wrtInputs ? input : filters);
        kwargs["border_mode"] = border.DeepClone();
        kwargs["subsample"] = Ints(stride);
        kwargs["filter_flip"] = flip;
        kwargs["filter_dilation"] = Ints(dilation);
        kwargs["num_groups"] = groups;
        kwargs["unshared"] = false;
        (string, int[])[] args = wrtInputs
            ? [("output_grad", output), ("filters", filters)]
            : [("input", input), ("output_grad", output)];
        return new(call, args, kwargs, Tag(kind, border, stride, flip, dilation, groups, filters[2..]));
    }

    /// <summary>The legacy ConvOp and signal.conv.conv2d: border_mode valid or full, subsample; always true
    /// convolution.</summary>
    private static CaseSketch LegacyCase(
        string call,
        int[] input,
        int[] filters,
        string border,
        int[] stride,
        string kind
    ) =>
        new(
            call,
            [("input", input), ("filters", filters)],
            new JsonObject { ["border_mode"] = border, ["subsample"] = Ints(stride) },
            $"{kind}/{border}/s{Dims(stride)}/input={Dims(input)}/filters={Dims(filters)}"
        );

    /// <summary>cuDNN's dnn_conv(img, kerns, ...). The old sandbox.cuda backend has no dilation, num_groups or
    /// precision arguments.</summary>
    private static CaseSketch Dnn(
        string call,
        int[] img,
        int[] kerns,
        JsonNode border,
        int[] stride,
        string convMode,
        int[] dilation,
        int groups,
        string kind
    )
    {
        var kwargs = new JsonObject
        {
            ["border_mode"] = border.DeepClone(),
            ["subsample"] = Ints(stride),
            ["conv_mode"] = convMode,
        };
        if (call == GpuDnn)
        {
            kwargs["dilation"] = Ints(dilation);
            kwargs["num_groups"] = groups;
            kwargs["precision"] = "float32";
        }
        return new(
            call,
            [("img", img), ("kerns", kerns)],
            kwargs,
            Tag(kind, border, stride, convMode == "conv", dilation, groups, kerns[2..])
        );
    }

    private static string Tag(
        string kind,
        JsonNode border,
        int[] stride,
        bool flip,
        int[] dilation,
        int groups,
        int[] kernel
    ) =>
        $"{kind}/{Text(border)}/{(flip ? "flip" : "noflip")}/"
        + $"k{Dims(kernel)}/s{Dims(stride)}/d{Dims(dilation)}/g{groups}";

    /// <summary>Theano's output size per axis: (in + before + after - k_eff) // stride + 1, k_eff = (k-1)*dilation +
    /// 1.</summary>
    private static int[] OutputSize(int[] input, int[] kernel, JsonNode border, int[] stride, int[] dilation)
    {
        var (before, after) = Pads(border, kernel, dilation);
        return
        [
            .. Enumerable
                .Range(0, input.Length)
                .Select(a => (input[a] + before[a] + after[a] - ((kernel[a] - 1) * dilation[a] + 1)) / stride[a] + 1),
        ];
    }

    /// <summary>Theano's padding per axis for a border_mode: 'valid' 0, 'full' k_eff-1, 'half' k_eff//2, an int,
    /// per-axis ints, or per-axis pairs.</summary>
    private static (int[] Before, int[] After) Pads(JsonNode border, int[] kernel, int[] dilation)
    {
        int rank = kernel.Length;
        var before = new int[rank];
        var after = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            int effective = (kernel[a] - 1) * dilation[a] + 1;
            (before[a], after[a]) = border switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() switch
                {
                    "full" => (effective - 1, effective - 1),
                    "half" => (effective / 2, effective / 2),
                    _ => (0, 0),
                },
                JsonValue v => (v.GetValue<int>(), v.GetValue<int>()),
                JsonArray axes when axes[a] is JsonArray pair => (pair[0]!.GetValue<int>(), pair[1]!.GetValue<int>()),
                JsonArray axes => (axes[a]!.GetValue<int>(), axes[a]!.GetValue<int>()),
                _ => throw new ArgumentException(
                    $"border_mode {border.ToJsonString()} is not a Theano border mode",
                    nameof(border)
                ),
            };
        }
        return (before, after);
    }
}
