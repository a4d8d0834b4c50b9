using ConvParity.Problems;

namespace ConvParity.Conventions;

/// <summary>
/// scipy.ndimage.correlate/convolve(input, weights, mode, cval, origin) and the *1d variants
/// (axis). The output has the input's shape; the kernel is centred at n//2 + origin (correlate) or,
/// for convolve, the reversed kernel at (n-1)//2 - origin, which is one position away from
/// scipy.signal.convolve 'same' for even kernels.
/// </summary>
public sealed class NdimageConvention : IConvention
{
    private const string Prefix = "scipy.ndimage.";

    /// <inheritdoc />
    public IReadOnlyList<string> Calls { get; } =
    [.. new[] { "correlate", "convolve", "correlate1d", "convolve1d" }.Select(f => Prefix + f)];

    /// <inheritdoc />
    public ConvPlan Plan(string call, IReadOnlyList<int[]> argShapes, Kwargs kwargs)
    {
        ArgumentNullException.ThrowIfNull(argShapes);
        ArgumentNullException.ThrowIfNull(kwargs);
        ConventionRegistry.RequireArgCount(call, argShapes, 2);
        int[] input = argShapes[0],
            weights = argShapes[1];
        string function = call[Prefix.Length..];
        bool convolve = function.StartsWith("convolve", StringComparison.Ordinal);
        bool oneD = function.EndsWith("1d", StringComparison.Ordinal);

        string mode = kwargs.Choice(
            "mode",
            "reflect",
            "reflect",
            "constant",
            "nearest",
            "mirror",
            "wrap",
            "grid-mirror",
            "grid-constant",
            "grid-wrap"
        );
        double cval = kwargs.Number("cval", 0.0);
        if (kwargs.Raw("output") is not null)
            throw kwargs.Unsupported("output", "only the default (an array of the input's dtype) is handled");
        var boundary = mode switch
        {
            "reflect" or "grid-mirror" => new Boundary(BoundaryKind.Reflect),
            "mirror" => new Boundary(BoundaryKind.Mirror),
            "nearest" => new Boundary(BoundaryKind.Nearest),
            "wrap" or "grid-wrap" => new Boundary(BoundaryKind.Wrap),
            _ => Boundary.Constant((float)cval),
        };

        int[] kernel,
            origins;
        if (oneD)
        {
            ConventionRegistry.RequireRank(call, "weights", weights, 1);
            int axis = kwargs.Int("axis", -1);
            int normalized = axis < 0 ? axis + input.Length : axis;
            if (normalized < 0 || normalized >= input.Length)
                throw kwargs.Invalid("axis", $"{axis} is out of range for a {input.Length}-D input");
            kernel = [.. input.Select((_, a) => a == normalized ? weights[0] : 1)];
            origins = [.. input.Select((_, a) => a == normalized ? kwargs.Int("origin", 0) : 0)];
        }
        else
        {
            kernel = weights;
            origins = kwargs.Ints("origin", input.Length, 0);
        }

        for (int a = 0; a < kernel.Length && a < input.Length; a++)
        {
            // scipy checks the origin after convolve has turned it into a correlation origin (-o, or -o - 1 for an
            // even extent), which maps the allowed range onto itself: the same check for both.
            int n = kernel[a],
                o = origins[a];
            if (o < -(n / 2) || o > (n - 1) / 2)
                throw kwargs.Invalid(
                    "origin",
                    $"{origins[a]} on axis {a} is outside the range allowed for a kernel of extent {n}"
                );
        }

        FullOutputCrop.Window Window(int axis, int m, int n)
        {
            int padBefore = convolve ? (n - 1) / 2 - origins[axis] : n / 2 + origins[axis];
            return new(n - 1 - padBefore, m);
        }

        return FullOutputCrop.Plan(
            call,
            "input",
            input,
            "weights",
            kernel,
            convolve,
            Window,
            boundary,
            ReferenceAlgorithm.Direct,
            (
                convolve
                    ? "true convolution (weights reversed), centre (n-1)//2 - origin"
                    : "correlation, centre n//2 + origin"
            ) + $", origin [{string.Join(", ", origins)}], mode '{mode}' ({boundary}), shape of input"
        );
    }
}
