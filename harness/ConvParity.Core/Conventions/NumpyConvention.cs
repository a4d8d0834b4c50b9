using ConvParity.Problems;

namespace ConvParity.Conventions;

/// <summary>
/// numpy.convolve(a, v, mode='full') and numpy.correlate(a, v, mode='valid'): 1-D only.
/// 'same' keeps max(len a, len v) outputs; its anchor differs between the two functions when
/// v is the longer array, because numpy swaps the arrays (and, for correlate, reverses the result).
/// </summary>
public sealed class NumpyConvention : IConvention
{
    private const string Convolve = "numpy.convolve",
        Correlate = "numpy.correlate";

    /// <inheritdoc />
    public IReadOnlyList<string> Calls { get; } = [Convolve, Correlate];

    /// <inheritdoc />
    public ConvPlan Plan(string call, IReadOnlyList<int[]> argShapes, Kwargs kwargs)
    {
        ArgumentNullException.ThrowIfNull(argShapes);
        ArgumentNullException.ThrowIfNull(kwargs);
        ConventionRegistry.RequireArgCount(call, argShapes, 2);
        int[] a = argShapes[0],
            v = argShapes[1];
        ConventionRegistry.RequireRank(call, "a", a, 1);
        ConventionRegistry.RequireRank(call, "v", v, 1);
        bool convolve = call == Convolve;
        string mode = kwargs.Choice("mode", convolve ? "full" : "valid", "full", "same", "valid");

        FullOutputCrop.Window Window(int axis, int m, int n)
        {
            if (mode != "same")
                return FullOutputCrop.FullOrValid(mode, m, n);
            int start =
                convolve ? (Math.Min(m, n) - 1) / 2
                : m >= n ? (n - 1) / 2
                : m / 2;
            return new(start, Math.Max(m, n));
        }

        string rule = mode switch
        {
            "full" => "every overlap, length len(a)+len(v)-1",
            "valid" => "complete overlaps only, length |len(a)-len(v)|+1",
            _ => convolve
                ? "length max(len(a), len(v)), centre at (min(len)-1)//2 of the full output"
                : "length max(len(a), len(v)), centre at (len(v)-1)//2 of the full output, "
                    + "or len(a)//2 when v is longer",
        };
        return FullOutputCrop.Plan(
            call,
            "a",
            a,
            "v",
            v,
            flip: convolve,
            Window,
            Boundary.Zero,
            ReferenceAlgorithm.Direct,
            $"{(convolve ? "true convolution (v reversed)" : "correlation (v not reversed)")}, mode '{mode}': {rule}"
        );
    }
}
