using System.Text.Json.Nodes;
using static ConvParity.Python.Generation.Sketch;

namespace ConvParity.Python.Generation;

/// <summary>
/// scipy.signal (convolve, correlate, fftconvolve, oaconvolve, convolve2d, correlate2d) and scipy.ndimage
/// (convolve, correlate, convolve1d, correlate1d): every mode, method, boundary, axes form and origin in
/// range, 1-D to 3-D, even and odd kernels, in2 larger than in1, kernels larger than the input.
/// method is always explicit ('direct' or 'fft'), never 'auto'.
/// </summary>
internal static class ScipyCatalogue
{
    private const string Signal = "scipy.signal.",
        Ndimage = "scipy.ndimage.";

    public static readonly string[] Calls =
    [
        Signal + "convolve",
        Signal + "correlate",
        Signal + "fftconvolve",
        Signal + "oaconvolve",
        Signal + "convolve2d",
        Signal + "correlate2d",
        Ndimage + "convolve",
        Ndimage + "correlate",
        Ndimage + "convolve1d",
        Ndimage + "correlate1d",
    ];

    private static readonly string[] Modes = ["full", "same", "valid"];
    private static readonly string[] Methods = ["direct", "fft"];
    private static readonly string[] NdimageModes =
    [
        "reflect",
        "constant",
        "nearest",
        "mirror",
        "wrap",
        "grid-mirror",
        "grid-constant",
        "grid-wrap",
    ];
    private static readonly double[] Constants = [1.5, -0.75, 2.0];

    public static IEnumerable<CaseSketch> Grid()
    {
        (int[] In1, int[] In2)[] pairs =
        [
            ([9], [4]),
            ([9], [3]),
            ([4], [9]),
            ([3], [8]),
            ([6, 5], [3, 2]),
            ([3, 2], [6, 5]),
            ([5, 6], [4, 4]),
            ([4, 5, 3], [2, 3, 2]),
            ([2, 3, 2], [4, 5, 3]),
        ];
        foreach (string call in new[] { Signal + "convolve", Signal + "correlate" })
        {
            foreach (string mode in Modes)
            foreach (string method in Methods)
            foreach (var (in1, in2) in pairs)
                yield return SignalCase(call, in1, in2, mode, method, "grid");
            // Neither array is larger in every axis: 'full' and 'same' only ('valid' is refused by scipy).
            foreach (string mode in new[] { "full", "same" })
            foreach (string method in Methods)
                yield return SignalCase(call, [6, 3], [3, 5], mode, method, "grid");
        }

        (int[] In1, int[] In2, int[]? Axes)[] fftConfigs =
        [
            ([9], [4], null),
            ([4], [9], null),
            ([6, 5], [3, 2], null),
            ([6, 5], [3, 2], [0, 1]),
            ([6, 5], [1, 3], [1]),
            ([6, 5], [3, 1], [-2]),
            ([4, 5, 3], [2, 3, 2], null),
            ([4, 5, 3], [2, 1, 2], [0, 2]),
        ];
        foreach (string call in new[] { Signal + "fftconvolve", Signal + "oaconvolve" })
        foreach (string mode in Modes)
        foreach (var (in1, in2, axes) in fftConfigs)
            yield return FftCase(call, in1, in2, mode, axes, "grid");

        (int[] In1, int[] In2)[] pairs2d =
        [
            ([6, 5], [3, 2]),
            ([5, 6], [4, 3]),
            ([3, 2], [6, 5]),
            ([4, 4], [4, 4]),
            ([2, 3], [5, 7]),
        ];
        (string Boundary, double Fill)[] boundaries = [("fill", 0.0), ("fill", 1.5), ("wrap", 0.0), ("symm", 0.0)];
        foreach (string call in new[] { Signal + "convolve2d", Signal + "correlate2d" })
        foreach (string mode in Modes)
        foreach (var (boundary, fill) in boundaries)
        foreach (var (in1, in2) in pairs2d)
            yield return Signal2dCase(call, in1, in2, mode, boundary, fill, "grid");

        foreach (string call in new[] { Ndimage + "convolve", Ndimage + "correlate" })
        {
            foreach (string mode in NdimageModes)
            foreach (
                var (input, weights) in new[] { (new[] { 9 }, new[] { 4 }), ([6, 5], [3, 2]), ([4, 5, 3], [2, 3, 2]) }
            )
                yield return NdimageCase(call, input, weights, mode, CvalFor(mode, 1.5), 0, "grid");
            yield return NdimageCase(call, [9], [3], "constant", 0.0, 0, "grid");
            // Every origin in range, 1-D, even and odd kernels.
            foreach (int n in new[] { 4, 5 })
            foreach (string mode in new[] { "reflect", "constant" })
            foreach (int origin in Origins(n))
                yield return NdimageCase(call, [9], [n], mode, CvalFor(mode, -0.75), origin, "grid/origin");
            // Every origin pair of a 3x2 kernel, as a list; every int origin of a 4x4 kernel.
            foreach (int o0 in Origins(3))
            foreach (int o1 in Origins(2))
                yield return NdimageCase(call, [6, 5], [3, 2], "nearest", 0.0, Ints(o0, o1), "grid/origin");
            foreach (int origin in Origins(4))
                yield return NdimageCase(call, [6, 7], [4, 4], "mirror", 0.0, origin, "grid/origin");
            // Kernels larger than the input on every mode.
            foreach (string mode in NdimageModes)
            {
                yield return NdimageCase(call, [3], [7], mode, CvalFor(mode, 2.0), 0, "grid/large-kernel");
                yield return NdimageCase(call, [2, 3], [5, 4], mode, CvalFor(mode, 2.0), 0, "grid/large-kernel");
            }
        }

        foreach (string call in new[] { Ndimage + "convolve1d", Ndimage + "correlate1d" })
        {
            foreach (string mode in NdimageModes)
                yield return Ndimage1dCase(call, [5, 6], 4, -1, mode, CvalFor(mode, 1.5), 0, "grid");
            foreach (int axis in new[] { 0, 1, 2, -1, -3 })
                yield return Ndimage1dCase(call, [4, 5, 3], 3, axis, "reflect", 0.0, 0, "grid/axis");
            foreach (int n in new[] { 4, 5 })
            foreach (int origin in Origins(n))
                yield return Ndimage1dCase(call, [9], n, -1, "constant", -0.75, origin, "grid/origin");
            foreach (string mode in NdimageModes)
                yield return Ndimage1dCase(call, [3, 5], 6, 0, mode, CvalFor(mode, 2.0), 0, "grid/large-kernel");
        }
    }

    public static CaseSketch Draw(string call, Random random)
    {
        string function = call[(call.LastIndexOf('.') + 1)..];
        bool signal = call.StartsWith(Signal, StringComparison.Ordinal);
        if (signal && function is "convolve2d" or "correlate2d")
        {
            string mode = random.Pick(Modes);
            var (in1, in2) = Arrays(random, 2, mode);
            string boundary = random.Pick(["fill", "wrap", "symm"]);
            double fill = boundary == "fill" && random.Chance(0.5) ? random.Pick(Constants) : 0.0;
            return Signal2dCase(call, in1, in2, mode, boundary, fill, "random");
        }
        if (signal && function is "fftconvolve" or "oaconvolve")
        {
            string mode = random.Pick(Modes);
            var (in1, in2) = Arrays(random, random.Next(1, 4), mode);
            int[]? axes = null;
            if (random.Chance(0.5))
            {
                // Convolve a random non-empty subset of axes; in2 has extent 1 on the others (broadcast).
                var chosen = Enumerable.Range(0, in1.Length).Where(_ => random.Chance(0.6)).ToList();
                if (chosen.Count == 0)
                    chosen.Add(random.Next(in1.Length));
                for (int a = 0; a < in1.Length; a++)
                    if (!chosen.Contains(a))
                        in2[a] = 1;
                axes = [.. chosen.Select(a => random.Chance(0.3) ? a - in1.Length : a)];
            }
            return FftCase(call, in1, in2, mode, axes, "random");
        }
        if (signal)
        {
            string mode = random.Pick(Modes);
            var (in1, in2) = Arrays(random, random.Next(1, 4), mode);
            return SignalCase(call, in1, in2, mode, random.Pick(Methods), "random");
        }

        string ndMode = random.Pick(NdimageModes);
        double cval = CvalFor(ndMode, random.Pick(Constants));
        int rank = random.Next(1, 4);
        int[] input = [.. Enumerable.Range(0, rank).Select(_ => random.Next(1, 9))];
        if (function.EndsWith("1d", StringComparison.Ordinal))
        {
            int axis = random.Next(-rank, rank);
            int n = random.Next(1, 7);
            return Ndimage1dCase(call, input, n, axis, ndMode, cval, random.Pick(Origins(n)), "random");
        }
        int[] weights = [.. Enumerable.Range(0, rank).Select(_ => random.Next(1, 6))];
        JsonNode origin = random.Chance(0.5)
            ? random.Pick(Origins(weights.Min())) // one int for every axis: in range for the smallest extent
            : Ints([.. weights.Select(n => random.Pick(Origins(n)))]);
        return NdimageCase(call, input, weights, ndMode, cval, origin, "random");
    }

    /// <summary>Every origin scipy.ndimage accepts for a kernel of extent n: -(n//2) .. (n-1)//2 (the same range for
    /// convolve).</summary>
    private static int[] Origins(int n) => [.. Enumerable.Range(-(n / 2), n / 2 + (n - 1) / 2 + 1)];

    private static double CvalFor(string mode, double value) => mode is "constant" or "grid-constant" ? value : 0.0;

    /// <summary>Random in1, in2 of one rank; for 'valid', one is at least as large as the other in every
    /// axis.</summary>
    private static (int[] In1, int[] In2) Arrays(Random random, int rank, string mode)
    {
        int[] in1 = [.. Enumerable.Range(0, rank).Select(_ => random.Next(1, 9))];
        int[] in2 = [.. Enumerable.Range(0, rank).Select(_ => random.Next(1, 6))];
        if (random.Chance(0.25))
            (in1, in2) = (in2, in1); // in2 larger
        if (mode == "valid")
        {
            bool in1Larger = random.Chance(0.7);
            for (int a = 0; a < rank; a++)
            {
                int small = Math.Min(in1[a], in2[a]),
                    large = Math.Max(in1[a], in2[a]);
                (in1[a], in2[a]) = in1Larger ? (large, small) : (small, large);
            }
        }
        return (in1, in2);
    }

    private static CaseSketch SignalCase(string call, int[] in1, int[] in2, string mode, string method, string kind) =>
        new(
            call,
            [("in1", in1), ("in2", in2)],
            new JsonObject { ["mode"] = mode, ["method"] = method },
            $"{kind}/{mode}/{method}/in1={Dims(in1)}/in2={Dims(in2)}"
        );

    /// <summary>
    /// fftconvolve/oaconvolve with axes left out where both arrays have the same extent (one convolution
    /// per index: a grouped, batched convolution), where only in2 has it (one output per kernel), beside
    /// batch axes; and one scipy refuses (extents 3 and 2 on an axis it does not convolve).
    /// </summary>
    internal static IEnumerable<CaseSketch> Later()
    {
        (int[] In1, int[] In2, int[] Axes, string[] Modes)[] batched =
        [
            ([3, 6, 5], [3, 2, 2], [1, 2], ["full", "same", "valid"]),
            ([2, 3, 7], [1, 3, 4], [-1], ["same", "valid"]),
            ([2, 4, 9], [2, 4, 3], [2], ["full"]),
            ([1, 7], [3, 4], [1], ["full", "valid"]),
            ([2, 1, 6, 5], [1, 3, 2, 2], [-2, -1], ["valid"]),
            ([3, 1, 8], [3, 2, 3], [2], ["full"]),
            ([3, 6], [2, 3], [1], ["full"]),
        ];
        int i = 0;
        foreach (var (in1, in2, axes, modes) in batched)
        foreach (string mode in modes)
            yield return FftCase(
                Signal + (i++ % 2 == 0 ? "fftconvolve" : "oaconvolve"),
                in1,
                in2,
                mode,
                axes,
                "batched"
            );
        // A 1000-tap kernel over 8000 samples: the cpu engine takes its FFT path here on every vector width.
        yield return SignalCase(Signal + "correlate", [8000], [1000], "valid", "direct", "paths/fft");
        yield return SignalCase(Signal + "convolve", [8000], [1000], "same", "fft", "paths/fft");
    }

    private static CaseSketch FftCase(string call, int[] in1, int[] in2, string mode, int[]? axes, string kind) =>
        new(
            call,
            [("in1", in1), ("in2", in2)],
            new JsonObject { ["mode"] = mode, ["axes"] = axes is null ? null : Ints(axes) },
            $"{kind}/{mode}/axes={(axes is null ? "None" : string.Join(",", axes))}/in1={Dims(in1)}/in2={Dims(in2)}"
        );

    private static CaseSketch Signal2dCase(
        string call,
        int[] in1,
        int[] in2,
        string mode,
        string boundary,
        double fill,
        string kind
    ) =>
        new(
            call,
            [("in1", in1), ("in2", in2)],
            new JsonObject
            {
                ["mode"] = mode,
                ["boundary"] = boundary,
                ["fillvalue"] = fill,
            },
            $"{kind}/{mode}/{boundary}{(boundary == "fill" ? "=" + Kwargs(fill) : "")}/in1={Dims(in1)}/in2={Dims(in2)}"
        );

    private static CaseSketch NdimageCase(
        string call,
        int[] input,
        int[] weights,
        string mode,
        double cval,
        JsonNode origin,
        string kind
    ) =>
        new(
            call,
            [("input", input), ("weights", weights)],
            new JsonObject
            {
                ["mode"] = mode,
                ["cval"] = cval,
                ["origin"] = origin,
            },
            $"{kind}/{mode}/origin={Text(origin)}/input={Dims(input)}/weights={Dims(weights)}"
        );

    private static CaseSketch Ndimage1dCase(
        string call,
        int[] input,
        int n,
        int axis,
        string mode,
        double cval,
        int origin,
        string kind
    ) =>
        new(
            call,
            [("input", input), ("weights", [n])],
            new JsonObject
            {
                ["axis"] = axis,
                ["mode"] = mode,
                ["cval"] = cval,
                ["origin"] = origin,
            },
            $"{kind}/{mode}/axis={axis}/origin={origin}/input={Dims(input)}/weights={n}"
        );

    private static string Kwargs(double value) => ConvParity.Conventions.Kwargs.Format(value);
}
