using ConvParity.Problems;

namespace ConvParity.Conventions;

/// <summary>
/// scipy.signal: convolve/correlate (mode, method), fftconvolve/oaconvolve (mode, axes) on arrays of
/// any rank, and convolve2d/correlate2d (mode, boundary, fillvalue) on 2-D arrays. 'same' has the
/// shape of in1 and the anchor n//2 (as a correlation), except correlate2d, whose anchor is (n-1)//2:
/// one position apart for even kernels.
/// </summary>
public sealed class ScipySignalConvention : IConvention
{
    private const string Prefix = "scipy.signal.";

    /// <inheritdoc />
    public IReadOnlyList<string> Calls { get; } =
    [
        .. new[] { "convolve", "correlate", "fftconvolve", "oaconvolve", "convolve2d", "correlate2d" }.Select(f =>
            Prefix + f
        ),
    ];

    /// <inheritdoc />
    public ConvPlan Plan(string call, IReadOnlyList<int[]> argShapes, Kwargs kwargs)
    {
        ArgumentNullException.ThrowIfNull(argShapes);
        ArgumentNullException.ThrowIfNull(kwargs);
        ConventionRegistry.RequireArgCount(call, argShapes, 2);
        int[] in1 = argShapes[0],
            in2 = argShapes[1];
        string function = call[Prefix.Length..];
        bool flip =
            function.StartsWith("convolve", StringComparison.Ordinal) || function is "fftconvolve" or "oaconvolve";
        string mode = kwargs.Choice("mode", "full", "full", "same", "valid");
        var boundary = Boundary.Zero;
        var algorithm = ReferenceAlgorithm.Direct;
        IReadOnlyCollection<int>? convolvedAxes = null;
        FullOutputCrop.Grouping? grouping = null;
        string how;

        switch (function)
        {
            case "convolve" or "correlate":
            {
                string method = kwargs.Choice("method", "auto", "direct", "fft", "auto");
                // 'auto' picks at run time; without knowing the pick, the looser FFT bound is the honest one.
                algorithm = method == "direct" ? ReferenceAlgorithm.Direct : ReferenceAlgorithm.Fft;
                how = $"method '{method}'";
                break;
            }
            case "fftconvolve" or "oaconvolve":
                algorithm = ReferenceAlgorithm.Fft;
                (convolvedAxes, grouping) = Axes(kwargs, in1, in2, mode);
                how =
                    "FFT"
                    + (
                        grouping is null
                            ? ""
                            : $", axes {grouping.Start} to {grouping.End - 1} broadcast: "
                                + $"{grouping.Groups} separate convolution(s) x {grouping.Banks} kernel(s) each"
                    );
                break;
            default: // convolve2d, correlate2d
            {
                ConventionRegistry.RequireRank(call, "in1", in1, 2);
                ConventionRegistry.RequireRank(call, "in2", in2, 2);
                string kind = kwargs.Choice("boundary", "fill", "fill", "wrap", "symm");
                double fill = kwargs.Number("fillvalue", 0.0);
                // 'valid' reads no extension; when in2 is the larger array scipy swaps the two, so the
                // positions beyond in1 are never boundary values either.
                boundary =
                    mode == "valid"
                        ? Boundary.Zero
                        : kind switch
                        {
                            "wrap" => new Boundary(BoundaryKind.Wrap),
                            "symm" => new Boundary(BoundaryKind.Reflect),
                            _ => Boundary.Constant((float)fill),
                        };
                how = $"boundary '{kind}'" + (kind == "fill" ? $" fillvalue {Kwargs.Format(fill)}" : "");
                break;
            }
        }

        // fftconvolve/oaconvolve drop the convolved axes, all of them when 'axes' is not given, where either array has
        // extent 1 (a broadcast gives the same numbers) before they check 'valid'; arrays of different ranks are
        // refused by the plan (as scipy does) before any axis is read.
        bool fft = function is "fftconvolve" or "oaconvolve";
        if (mode == "valid" && (!fft || in1.Length == in2.Length))
            FullOutputCrop.RequireValidOrder(
                call,
                in1,
                in2,
                fft
                    ? (convolvedAxes ?? Enumerable.Range(0, in1.Length)).Where(a => in1[a] != 1 && in2[a] != 1).ToList()
                    : null
            );
        bool correlate2d = function == "correlate2d";

        FullOutputCrop.Window Window(int axis, int m, int n) =>
            mode != "same" ? FullOutputCrop.FullOrValid(mode, m, n) : new(correlate2d ? n / 2 : (n - 1) / 2, m);

        string anchor =
            mode != "same" ? ""
            : correlate2d ? ", shape of in1, anchor (n-1)//2"
            : ", shape of in1, anchor n//2 of the correlation";
        return FullOutputCrop.Plan(
            call,
            "in1",
            in1,
            "in2",
            in2,
            flip,
            Window,
            boundary,
            algorithm,
            $"{(flip ? "true convolution (in2 reversed)" : "correlation (in2 not reversed)")}, "
                + $"mode '{mode}'{anchor}, {how}",
            grouping
        );
    }

    /// <summary>
    /// fftconvolve/oaconvolve 'axes': the axes left out are broadcast, as numpy multiplies. Where in2 has
    /// extent 1 that is a convolution with a kernel of extent 1 (or a batch axis, when leading); where both
    /// arrays have the same extent, one convolution per index (groups); where only in2 has it, one output
    /// per kernel (a bank). Returns the convolved axes (null for all) and the broadcast block, if any.
    /// Plans are reshapes, never transposes: the block must lie after the batch axes and before every axis
    /// the kernel extends, groups before banks.
    /// </summary>
    private static (HashSet<int>? Convolved, FullOutputCrop.Grouping? Grouping) Axes(
        Kwargs kwargs,
        int[] in1,
        int[] in2,
        string mode
    )
    {
        var axes = kwargs.Shape("axes");
        if (axes is null)
            return (null, null);
        if (axes.Length == 0)
            throw kwargs.Invalid("axes", "ValueError: when provided, axes cannot be empty");
        var convolved = axes.Select(a => a < 0 ? a + in1.Length : a).ToHashSet();
        if (convolved.Any(a => a < 0 || a >= in1.Length))
            throw kwargs.Invalid("axes", $"[{string.Join(", ", axes)}] is out of range for {in1.Length}-D arrays");
        if (convolved.Count != axes.Length)
            throw kwargs.Invalid("axes", $"[{string.Join(", ", axes)}]: all axes must be unique");
        if (in1.Length != in2.Length)
            return (convolved, null); // the plan names the rank mismatch

        bool Group(int a) => !convolved.Contains(a) && in1[a] == in2[a] && in1[a] > 1;
        bool Bank(int a) => !convolved.Contains(a) && in1[a] == 1 && in2[a] > 1;
        for (int a = 0; a < in1.Length; a++)
            if (!convolved.Contains(a) && in1[a] != in2[a] && in1[a] != 1 && in2[a] != 1)
                throw kwargs.Invalid(
                    "axes",
                    $"ValueError: incompatible shapes for in1 and in2: ({Python(in1)}) and ({Python(in2)}): "
                        + $"axis {a} is not convolved, so its extents must be equal or 1"
                );
        var broadcast = Enumerable.Range(0, in1.Length).Where(a => Group(a) || Bank(a)).ToList();
        if (broadcast.Count == 0)
            return (convolved, null);
        if (mode == "same" && broadcast.FirstOrDefault(Bank, -1) is var bank and >= 0)
            throw kwargs.Unsupported(
                "axes",
                $"in 'same' mode scipy keeps the middle kernel of axis {bank} only (in1 has extent 1 there, "
                    + $"in2 {in2[bank]}): a slice of in2, not a reshape"
            );
        int start = broadcast[0],
            end = broadcast[^1] + 1;
        string Where(string what) =>
            $"axis {what}: a plan views the arrays as (batch, channels, convolved axes) without moving axes";
        for (int a = 0; a < start; a++)
            if (in2[a] != 1)
                throw kwargs.Unsupported(
                    "axes",
                    Where($"{a} needs the kernel but lies before the broadcast axis {start}")
                );
        for (int a = start; a < end; a++)
            if (!Group(a) && !Bank(a) && (in1[a] != 1 || in2[a] != 1))
                throw kwargs.Unsupported("axes", Where($"{a} lies between the broadcast axes {start} and {end - 1}"));
        if (broadcast.SkipWhile(Group).Any(Group))
            throw kwargs.Unsupported(
                "axes",
                Where(
                    $"{broadcast.First(Bank)} (in1 extent 1) "
                        + "comes before an axis where both arrays have the same extent"
                )
            );
        if (end == in1.Length)
            throw kwargs.Unsupported("axes", Where($"{end - 1} is broadcast and comes after every convolved axis"));
        int Product(Func<int, bool> kind) =>
            FullOutputCrop.ProductWithinInt(broadcast.Where(kind).Select(a => Math.Max(in1[a], in2[a])))
            ?? throw kwargs.Unsupported("axes", $"the broadcast axes hold more than {int.MaxValue} signals");
        return (convolved, new FullOutputCrop.Grouping(start, end, Product(Group), Product(Bank)));
    }

    /// <summary>A shape as Python prints a tuple's items.</summary>
    // Stryker disable once all : the 1-D arm is unreachable here (a broadcast axis needs a second, convolved one)
    private static string Python(int[] shape) => shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
}
