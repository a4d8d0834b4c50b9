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
        [.. new[] { "convolve", "correlate", "fftconvolve", "oaconvolve", "convolve2d", "correlate2d" }.Select(f => Prefix + f)];

    /// <inheritdoc />
    public ConvPlan Plan(string call, IReadOnlyList<int[]> argShapes, Kwargs kwargs)
    {
        ArgumentNullException.ThrowIfNull(argShapes);
        ArgumentNullException.ThrowIfNull(kwargs);
        ConventionRegistry.RequireArgCount(call, argShapes, 2);
        int[] in1 = argShapes[0], in2 = argShapes[1];
        string function = call[Prefix.Length..];
        bool flip = function.StartsWith("convolve", StringComparison.Ordinal) || function is "fftconvolve" or "oaconvolve";
        string mode = kwargs.Choice("mode", "full", "full", "same", "valid");
        var boundary = Boundary.Zero;
        var algorithm = ReferenceAlgorithm.Direct;
        IReadOnlyCollection<int>? convolvedAxes = null;
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
                convolvedAxes = RequireAxesOnlyExtendKernel(kwargs, in1, in2);
                how = "FFT";
                break;
            default: // convolve2d, correlate2d
            {
                ConventionRegistry.RequireRank(call, "in1", in1, 2);
                ConventionRegistry.RequireRank(call, "in2", in2, 2);
                string kind = kwargs.Choice("boundary", "fill", "fill", "wrap", "symm");
                double fill = kwargs.Number("fillvalue", 0.0);
                // 'valid' reads no extension; when in2 is the larger array scipy swaps the two, so the
                // positions beyond in1 are never boundary values either.
                boundary = mode == "valid" ? Boundary.Zero : kind switch
                {
                    "wrap" => new Boundary(BoundaryKind.Wrap),
                    "symm" => new Boundary(BoundaryKind.Reflect),
                    _ => Boundary.Constant((float)fill),
                };
                how = $"boundary '{kind}'" + (kind == "fill" ? $" fillvalue {Kwargs.Format(fill)}" : "");
                break;
            }
        }

        if (mode == "valid") FullOutputCrop.RequireValidOrder(call, in1, in2, convolvedAxes);
        bool correlate2d = function == "correlate2d";

        FullOutputCrop.Window Window(int axis, int m, int n) =>
            mode != "same" ? FullOutputCrop.FullOrValid(mode, m, n)
            : new(correlate2d ? n / 2 : (n - 1) / 2, m);

        string anchor = mode != "same" ? "" : correlate2d ? ", shape of in1, anchor (n-1)//2" : ", shape of in1, anchor n//2 of the correlation";
        return FullOutputCrop.Plan(call, "in1", in1, "in2", in2, flip, Window, boundary, algorithm,
            $"{(flip ? "true convolution (in2 reversed)" : "correlation (in2 not reversed)")}, mode '{mode}'{anchor}, {how}");
    }

    /// <summary>
    /// fftconvolve/oaconvolve 'axes': an axis left out is convolved element-wise (broadcast). That equals
    /// the plain convolution when in2 has extent 1 there; anything else is not a ConvProblem we plan.
    /// Returns the convolved axes, or null for all of them.
    /// </summary>
    private static HashSet<int>? RequireAxesOnlyExtendKernel(Kwargs kwargs, int[] in1, int[] in2)
    {
        var axes = kwargs.Shape("axes");
        if (axes is null) return null;
        var convolved = axes.Select(a => a < 0 ? a + in1.Length : a).ToHashSet();
        if (convolved.Any(a => a < 0 || a >= in1.Length))
            throw kwargs.Invalid("axes", $"[{string.Join(", ", axes)}] is out of range for {in1.Length}-D arrays");
        for (int a = 0; a < in2.Length; a++)
            if (!convolved.Contains(a) && in2[a] != 1)
                throw kwargs.Unsupported("axes", $"axis {a} is not convolved but in2 has extent {in2[a]} there (a broadcast, not a convolution)");
        return convolved;
    }
}
