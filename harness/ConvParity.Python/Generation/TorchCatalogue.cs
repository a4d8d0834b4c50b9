using System.Text.Json.Nodes;
using static ConvParity.Python.Generation.Sketch;

namespace ConvParity.Python.Generation;

/// <summary>
/// PyTorch 1.13 (torch.nn.functional.conv1d/2d/3d and conv_transpose1d/2d/3d, torch.nn.grad.convNd_input and
/// _weight, the torch.nn.Conv1d/2d/3d modules): every keyword form (ints and per-axis lists, "same" with odd and
/// even kernels, "valid", every padding_mode, output_padding, groups including depthwise, dilation, with and without
/// bias) on small arrays, and the calls torch refuses. Layouts are N, C, spatial...; weights (out, in/groups, k...),
/// for transposed convolution (in, out/groups, k...).
/// </summary>
internal static class TorchCatalogue
{
    private const string F = "torch.nn.functional.",
        G = "torch.nn.grad.",
        M = "torch.nn.";

    private static readonly int[] Ranks = [1, 2, 3];

    public static readonly string[] Calls =
    [
        .. Ranks.SelectMany(r =>
            new[]
            {
                $"{F}conv{r}d",
                $"{F}conv_transpose{r}d",
                $"{G}conv{r}d_input",
                $"{G}conv{r}d_weight",
                $"{M}Conv{r}d",
            }
        ),
    ];

    private static readonly string[] Modes = ["zeros", "reflect", "replicate", "circular"];

    /// <summary>Input spatial sizes per rank: small, and different per axis.</summary>
    private static int[] Spatial(int rank) =>
        rank switch
        {
            1 => [9],
            2 => [7, 6],
            _ => [5, 4, 6],
        };

    private static int[] Repeat(int value, int rank) => [.. Enumerable.Repeat(value, rank)];

    /// <summary>A per-axis list that differs between axes: base, base+1, base...</summary>
    private static JsonArray PerAxis(int rank, int first, int second) =>
        Ints([.. Enumerable.Range(0, rank).Select(a => a % 2 == 0 ? first : second)]);

    public static IEnumerable<CaseSketch> Grid()
    {
        foreach (int rank in Ranks)
        {
            int[] spatial = Spatial(rank);
            int[] odd = Repeat(3, rank);
            int[] even = [.. Enumerable.Range(0, rank).Select(a => a % 2 == 0 ? 2 : 3)];
            // Functional convolution: every padding form, stride and dilation forms, groups, bias.
            foreach (JsonNode padding in new JsonNode[] { 0, 1, PerAxis(rank, 1, 0), "same", "valid" })
            foreach (int[] kernel in new[] { odd, even })
            foreach (bool bias in new[] { true, false })
                yield return Conv(
                    $"{F}conv{rank}d",
                    [2, 4, .. spatial],
                    [3, 4, .. kernel],
                    bias,
                    Kw(padding: padding),
                    "grid"
                );
            foreach (JsonNode stride in new JsonNode[] { 2, PerAxis(rank, 2, 1) })
            foreach (JsonNode padding in new JsonNode[] { 0, 1 })
                yield return Conv(
                    $"{F}conv{rank}d",
                    [2, 4, .. spatial],
                    [3, 4, .. odd],
                    true,
                    Kw(stride, padding),
                    "grid/stride"
                );
            foreach (JsonNode dilation in new JsonNode[] { 2, PerAxis(rank, 2, 1) })
            foreach (JsonNode padding in new JsonNode[] { 1, "same" })
                yield return Conv(
                    $"{F}conv{rank}d",
                    [1, 4, .. spatial.Select(n => n + 2)],
                    [3, 4, .. even],
                    true,
                    Kw(padding: padding, dilation: dilation),
                    "grid/dilation"
                );
            foreach (var (channels, outputs, groups) in new[] { (4, 6, 2), (4, 4, 4), (3, 6, 3) })
                yield return Conv(
                    $"{F}conv{rank}d",
                    [2, channels, .. spatial],
                    [outputs, channels / groups, .. odd],
                    true,
                    Kw(padding: 1, groups: groups),
                    groups == channels ? "grid/depthwise" : "grid/groups"
                );

            // Transposed convolution: padding, output_padding (below stride or dilation), groups, dilation, bias.
            foreach (JsonNode stride in new JsonNode[] { 1, 2, PerAxis(rank, 2, 3) })
            foreach (JsonNode padding in new JsonNode[] { 0, 1 })
            foreach (bool bias in new[] { true, false })
                yield return Conv(
                    $"{F}conv_transpose{rank}d",
                    [2, 4, .. spatial.Select(n => n - 2)],
                    [4, 3, .. odd],
                    bias,
                    Kw(
                        stride,
                        padding,
                        outputPadding: stride is JsonArray ? PerAxis(rank, 1, 2) : (JsonNode)((int)stride - 1)
                    ),
                    "grid"
                );
            yield return Conv(
                $"{F}conv_transpose{rank}d",
                [2, 4, .. spatial.Select(n => n - 2)],
                [4, 3, .. even],
                true,
                Kw(1, 1, dilation: 2, outputPadding: 1),
                "grid/dilation"
            );
            foreach (var (channels, outputs, groups) in new[] { (4, 6, 2), (4, 4, 4) })
                yield return Conv(
                    $"{F}conv_transpose{rank}d",
                    [1, channels, .. spatial.Select(n => n - 2)],
                    [channels, outputs / groups, .. odd],
                    true,
                    Kw(2, 1, groups: groups, outputPadding: 1),
                    groups == channels ? "grid/depthwise" : "grid/groups"
                );

            // torch.nn.grad: both gradients, with stride (the input size picks the transposed output's length).
            foreach (int stride in new[] { 1, 2 })
            foreach (int padding in new[] { 0, 1 })
            {
                yield return Gradient("input", rank, [2, 4, .. spatial], [3, 4, .. odd], stride, padding, 1, 1, "grid");
                yield return Gradient(
                    "weight",
                    rank,
                    [2, 4, .. spatial],
                    [3, 4, .. even],
                    stride,
                    padding,
                    1,
                    1,
                    "grid"
                );
            }
            yield return Gradient("input", rank, [1, 4, .. spatial], [4, 2, .. even], 1, 1, 2, 2, "grid/groups");
            yield return Gradient("weight", rank, [1, 4, .. spatial], [4, 1, .. odd], 2, 1, 1, 4, "grid/depthwise");

            // The modules: every padding_mode with int and per-axis padding, "same" with an even kernel.
            foreach (string mode in Modes)
            {
                foreach (JsonNode padding in new JsonNode[] { 1, PerAxis(rank, 2, 1), "same" })
                    yield return Conv(
                        $"{M}Conv{rank}d",
                        [2, 4, .. spatial],
                        [3, 4, .. (padding is JsonValue v && v.ToString() == "same" ? even : odd)],
                        mode != "circular",
                        Kw(padding: padding, mode: mode),
                        "grid"
                    );
                yield return Conv(
                    $"{M}Conv{rank}d",
                    [1, 4, .. spatial],
                    [4, 2, .. odd],
                    true,
                    Kw(2, 2, dilation: 2, groups: 2, mode: mode),
                    "grid/stride"
                );
            }
            yield return Conv(
                $"{M}Conv{rank}d",
                [4, .. spatial],
                [3, 4, .. odd],
                true,
                Kw(padding: 1, mode: "reflect"),
                "grid/unbatched"
            );
            yield return Conv(
                $"{F}conv{rank}d",
                [4, .. spatial],
                [3, 4, .. odd],
                true,
                Kw(padding: 1),
                "grid/unbatched"
            );
        }
        foreach (var sketch in Refusals())
            yield return sketch;
    }

    /// <summary>Calls torch 1.13 refuses, written as "raises" cases.</summary>
    private static IEnumerable<CaseSketch> Refusals()
    {
        int[] x = [1, 4, 5, 5],
            w = [6, 4, 3, 3];
        yield return Conv($"{F}conv2d", x, w, false, Kw(2, "same"), "refused/same-stride");
        yield return Conv($"{M}Conv2d", x, w, false, Kw(2, "same"), "refused/same-stride");
        yield return Conv($"{F}conv2d", x, w, false, Kw(padding: "full"), "refused/padding-string");
        yield return Conv($"{M}Conv2d", x, w, false, Kw(padding: "full"), "refused/padding-string");
        yield return Conv($"{F}conv2d", x, w, false, Kw(padding: -1), "refused/negative-padding");
        yield return Conv($"{F}conv2d", x, [6, 2, 3, 3], false, Kw(groups: 3), "refused/groups-channels");
        yield return Conv($"{F}conv2d", x, [5, 2, 3, 3], false, Kw(groups: 2), "refused/groups-weight");
        yield return Conv($"{M}Conv2d", x, [5, 2, 3, 3], false, Kw(groups: 2), "refused/groups-weight");
        yield return Conv($"{F}conv1d", [1, 4, 5], [6, 4, 3], false, Kw(groups: 0), "refused/groups-zero");
        yield return Conv($"{F}conv2d", x, [6, 3, 3, 3], false, Kw(), "refused/channels");
        yield return Conv($"{F}conv2d", x, w, false, Kw(stride: 0), "refused/stride-zero");
        yield return Conv($"{F}conv2d", x, [6, 4, 7, 7], false, Kw(), "refused/kernel-larger");
        yield return Conv($"{F}conv2d", x, w, false, Kw(padding: Ints(1, 1, 1)), "refused/padding-length");
        yield return Conv(
            $"{F}conv_transpose2d",
            x,
            [4, 3, 3, 3],
            false,
            Kw(2, outputPadding: 2),
            "refused/output-padding"
        );
        yield return Conv(
            $"{F}conv_transpose1d",
            [1, 4, 5],
            [4, 3, 3],
            false,
            Kw(1, outputPadding: 1),
            "refused/output-padding"
        );
        yield return Conv(
            $"{F}conv_transpose2d",
            x,
            [4, 3, 3, 3],
            false,
            Kw(padding: "same"),
            "refused/padding-string"
        );
        yield return Conv($"{F}conv_transpose2d", x, [4, 3, 3, 3], false, Kw(groups: 3), "refused/groups-weight");
        yield return Conv($"{F}conv_transpose2d", x, [3, 3, 3, 3], false, Kw(), "refused/channels");
        yield return Conv($"{F}conv_transpose2d", x, [4, 3, 3, 3], false, Kw(padding: 4), "refused/output-too-small");
        foreach (int rank in Ranks)
        {
            int[] spatial = Repeat(4, rank);
            yield return Conv(
                $"{M}Conv{rank}d",
                [1, 2, .. spatial],
                [3, 2, .. Repeat(3, rank)],
                true,
                Kw(padding: 4, mode: "reflect"),
                "refused/reflect-pad"
            );
            yield return Conv(
                $"{M}Conv{rank}d",
                [1, 2, .. spatial],
                [3, 2, .. Repeat(3, rank)],
                true,
                Kw(padding: 5, mode: "circular"),
                "refused/circular-pad"
            );
        }
        yield return Conv($"{M}Conv2d", x, w, true, Kw(padding: 1, mode: "mirror"), "refused/padding-mode");
        yield return Gradient("input", 2, [1, 4, 5, 5], [6, 2, 3, 3], 1, 0, 1, 3, "refused/groups-channels");
    }

    public static CaseSketch Draw(string call, Random random)
    {
        int rank = call[(call.LastIndexOf('.') + 1)..].First(char.IsAsciiDigit) - '0';
        int groups = random.Pick([1, 1, 2]);
        int channels = groups * random.Next(1, 3),
            outputs = groups * random.Next(1, 3);
        int[] kernel = [.. Enumerable.Range(0, rank).Select(_ => random.Next(1, 4))];
        int[] stride = [.. Enumerable.Range(0, rank).Select(_ => random.Pick([1, 1, 2]))];
        int[] dilation = [.. Enumerable.Range(0, rank).Select(_ => random.Pick([1, 1, 2]))];
        int[] padding = [.. Enumerable.Range(0, rank).Select(_ => random.Next(0, 3))];
        int[] spatial =
        [
            .. Enumerable
                .Range(0, rank)
                .Select(a => (kernel[a] - 1) * dilation[a] + 1 + padding[a] + random.Next(0, 4)),
        ];
        int batch = random.Next(1, 3);
        bool bias = random.Chance(0.5);
        JsonNode Axes(int[] values) =>
            random.Chance(0.5) && values.All(v => v == values[0]) ? (JsonNode)values[0] : Ints(values);
        if (call.Contains("transpose", StringComparison.Ordinal))
        {
            int[] outputPadding =
            [
                .. Enumerable.Range(0, rank).Select(a => random.Next(0, Math.Max(stride[a], dilation[a]))),
            ];
            outputPadding = [.. outputPadding.Select((p, a) => Math.Min(p, padding[a] + stride[a] - 1))];
            return Conv(
                call,
                [batch, channels, .. spatial.Select(n => Math.Max(1, n - 2))],
                [channels, outputs / groups, .. kernel],
                bias,
                Kw(Axes(stride), Axes(padding), Axes(dilation), groups, outputPadding: Axes(outputPadding)),
                "random"
            );
        }
        if (call.StartsWith(G, StringComparison.Ordinal))
        {
            int[] input = [batch, channels, .. spatial];
            int[] weight = [outputs, channels / groups, .. kernel];
            var sketch = call.EndsWith("_input", StringComparison.Ordinal)
                ? Gradient("input", rank, input, weight, 1, 0, 1, groups, "random")
                : Gradient("weight", rank, input, weight, 1, 0, 1, groups, "random");
            // The draw's own stride, padding and dilation, per axis.
            var kwargs = sketch.Kwargs;
            kwargs["stride"] = Axes(stride);
            kwargs["padding"] = Axes(padding);
            kwargs["dilation"] = Axes(dilation);
            int[] output = Output(input, weight, stride, padding, dilation);
            var args = sketch.Args.Select(a => a.Name == "grad_output" ? (a.Name, output) : a).ToList();
            return sketch with { Args = args };
        }
        string? mode = IsModule(call) ? random.Pick(Modes) : null;
        JsonNode paddingNode = random.Next(4) switch
        {
            0 when stride.All(s => s == 1) => "same",
            1 => "valid",
            _ => Axes(padding),
        };
        if (mode == "reflect")
            spatial = [.. spatial.Select((n, a) => Math.Max(n, padding[a] + (kernel[a] - 1) * dilation[a] + 1))];
        return Conv(
            call,
            [batch, channels, .. spatial],
            [outputs, channels / groups, .. kernel],
            bias,
            Kw(
                Axes(stride),
                paddingNode,
                Axes(dilation),
                groups,
                mode: mode == "zeros" && !call.StartsWith(M, StringComparison.Ordinal) ? null : mode
            ),
            "random"
        );
    }

    /// <summary>Whether <paramref name="call"/> is a module (torch.nn.Conv2d), not a function.</summary>
    private static bool IsModule(string call) => char.IsUpper(call[call.LastIndexOf('.') + 1]);

    /// <summary>The keyword arguments, every one given explicitly (null ones left out).</summary>
    private static JsonObject Kw(
        JsonNode? stride = null,
        JsonNode? padding = null,
        JsonNode? dilation = null,
        int groups = 1,
        JsonNode? outputPadding = null,
        string? mode = null
    )
    {
        var kwargs = new JsonObject { ["stride"] = stride?.DeepClone() ?? 1, ["padding"] = padding?.DeepClone() ?? 0 };
        if (outputPadding is not null)
            kwargs["output_padding"] = outputPadding.DeepClone();
        kwargs["dilation"] = dilation?.DeepClone() ?? 1;
        kwargs["groups"] = groups;
        if (mode is not null)
            kwargs["padding_mode"] = mode;
        return kwargs;
    }

    /// <summary>A forward or transposed convolution, functional or module, with or without a bias.</summary>
    private static CaseSketch Conv(string call, int[] input, int[] weight, bool bias, JsonObject kwargs, string kind)
    {
        bool transposed = call.Contains("transpose", StringComparison.Ordinal);
        if (IsModule(call) && !kwargs.ContainsKey("padding_mode"))
            kwargs["padding_mode"] = "zeros";
        if (transposed && !kwargs.ContainsKey("output_padding"))
            kwargs["output_padding"] = 0;
        int channels = transposed ? weight[1] * kwargs["groups"]!.GetValue<int>() : weight[0];
        List<(string, int[])> args = [("input", input), ("weight", weight)];
        if (bias)
            args.Add(("bias", [Math.Max(1, channels)]));
        string tag = string.Join(
            "/",
            new[] { kind, bias ? "bias" : "nobias" }.Concat(kwargs.Select(p => $"{Short(p.Key)}{Text(p.Value)}"))
        );
        return new(call, args, kwargs, $"{tag}/w{Dims(weight)}");
    }

    private static string Short(string key) =>
        key switch
        {
            "stride" => "s",
            "padding" => "p",
            "dilation" => "d",
            "groups" => "g",
            "output_padding" => "op",
            _ => "",
        };

    private static int[] Output(int[] input, int[] weight, int[] stride, int[] padding, int[] dilation) =>
        [
            input[0],
            weight[0],
            .. Enumerable
                .Range(0, input.Length - 2)
                .Select(a => (input[2 + a] + 2 * padding[a] - (weight[2 + a] - 1) * dilation[a] - 1) / stride[a] + 1),
        ];

    /// <summary>
    /// torch.nn.grad.conv{rank}d_input or _weight (<paramref name="of"/>): the gradient's own size is a keyword
    /// (input_size, weight_size), the other operand and grad_output are the arrays.
    /// </summary>
    private static CaseSketch Gradient(
        string of,
        int rank,
        int[] input,
        int[] weight,
        int stride,
        int padding,
        int dilation,
        int groups,
        string kind
    )
    {
        bool ofInput = of == "input";
        int[] output = Output(input, weight, Repeat(stride, rank), Repeat(padding, rank), Repeat(dilation, rank));
        var kwargs = new JsonObject { [$"{of}_size"] = Ints(ofInput ? input : weight) };
        foreach (var (key, value) in Kw(stride, padding, dilation, groups))
            kwargs[key] = value!.DeepClone();
        return new(
            $"{G}conv{rank}d_{of}",
            [ofInput ? ("weight", weight) : ("input", input), ("grad_output", output)],
            kwargs,
            $"{kind}/s{stride}/p{padding}/d{dilation}/g{groups}/w{Dims(weight)}"
        );
    }
}
