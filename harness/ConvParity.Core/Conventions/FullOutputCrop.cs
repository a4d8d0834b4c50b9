using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Conventions;

/// <summary>
/// numpy and scipy describe their modes as a crop of the full correlation (every overlap of the
/// two arrays): 'full' keeps it all, 'valid' keeps the complete overlaps, 'same' a centred window
/// whose anchor differs by library. A crop starting at <c>start</c> of length <c>L</c> is the
/// ConvProblem with padBefore = n-1-start and padAfter = L-1+n-m-padBefore.
/// Every axis of these arrays is spatial; leading axes where the kernel has extent 1 behave like
/// a batch and are folded into it, so arrays of any rank work while at most 3 axes need the kernel.
/// Broadcast axes (<see cref="Grouping"/>) become channels: a grouped, batched convolution.
/// </summary>
internal static class FullOutputCrop
{
    /// <summary>Where one axis's crop starts and how long it is.</summary>
    internal readonly record struct Window(int Start, int Length);

    /// <summary>The crop of 'full' and 'valid', which every library agrees on.</summary>
    internal static Window FullOrValid(string mode, int m, int n) =>
        mode switch
        {
            "full" => new(0, m + n - 1),
            "valid" => new(Math.Min(m, n) - 1, Math.Abs(m - n) + 1),
            // Stryker disable once String : unreachable, both callers pass only 'full' or 'valid'
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "only 'full' and 'valid' are shared"),
        };

    /// <summary>
    /// Axes [Start, End) that are not convolved but broadcast (scipy's fftconvolve/oaconvolve with
    /// 'axes'): a product of <paramref name="Groups"/> where both arrays have the same extent (one
    /// convolution per index: groups of one channel), then of <paramref name="Banks"/> where only the
    /// kernel has it (one output per kernel). They sit between the batch axes and the convolved ones.
    /// </summary>
    internal sealed record Grouping(int Start, int End, int Groups, int Banks);

    /// <summary>
    /// Builds the plan of a crop of the full correlation of <paramref name="input"/> with
    /// <paramref name="kernel"/> (flipped for convolution), one window per axis; the axes of
    /// <paramref name="grouping"/>, when given, become channels and groups instead.
    /// </summary>
    internal static ConvPlan Plan(
        string call,
        string inputName,
        int[] input,
        string kernelName,
        int[] kernel,
        bool flip,
        Func<int, int, int, Window> window,
        Boundary boundary,
        ReferenceAlgorithm algorithm,
        string explanation,
        Grouping? grouping = null
    )
    {
        if (input.Length != kernel.Length)
            throw new InvalidCallException(
                call,
                null,
                $"{inputName} [{Tensor.FormatShape(input)}] and {kernelName} [{Tensor.FormatShape(kernel)}] "
                    + "should have the same number of dimensions."
            );
        if (input.Length == 0 || input.Contains(0) || kernel.Contains(0))
            throw new InvalidCallException(
                call,
                null,
                $"{inputName} [{Tensor.FormatShape(input)}] and {kernelName} "
                    + $"[{Tensor.FormatShape(kernel)}] must be non-empty."
            );

        int folded = grouping?.Start ?? FoldedAxes(call, kernelName, kernel);
        int spatial = grouping?.End ?? folded;
        int rank = input.Length - spatial;
        if (rank > ConvProblem.MaxRank)
            throw new UnsupportedCallException(
                call,
                kernelName,
                $"shape [{Tensor.FormatShape(kernel)}] needs {rank} spatial axes after the broadcast ones; "
                    + $"at most {ConvProblem.MaxRank} are handled"
            );
        bool Broadcast(int a) => a >= folded && a < spatial;
        var windows = Enumerable
            .Range(0, input.Length)
            .Select(a => Broadcast(a) ? new Window(0, Math.Max(input[a], kernel[a])) : window(a, input[a], kernel[a]))
            .ToArray();
        var before = new int[rank];
        var after = new int[rank];
        for (int r = 0; r < rank; r++)
        {
            int a = spatial + r,
                m = input[a],
                n = kernel[a];
            before[r] = n - 1 - windows[a].Start;
            after[r] = windows[a].Length - 1 + n - m - before[r];
        }
        int batch =
            ProductWithinInt(input.Take(folded))
            ?? throw new UnsupportedCallException(
                call,
                inputName,
                $"its {folded} leading axes (kernel extent 1) hold more than {int.MaxValue} signals; "
                    + "a ConvProblem's batch is an int"
            );
        int groups = grouping?.Groups ?? 1,
            banks = grouping?.Banks ?? 1,
            outputs =
                ProductWithinInt([groups, banks])
                ?? throw new UnsupportedCallException(
                    call,
                    "axes",
                    $"{groups} groups of {banks} banks are more than {int.MaxValue} output channels"
                );
        var spec = new ConvProblemSpec
        {
            Batch = batch,
            InChannels = groups,
            OutChannels = outputs,
            InputSize = input[spatial..],
            KernelSize = kernel[spatial..],
            PadBefore = before,
            PadAfter = after,
            Groups = groups,
            Flip = flip,
            Boundary = boundary,
        };
        if (!ConvProblem.TryCreate(spec, out var problem, out string? error))
            throw new InvalidCallException(call, null, error);
        var resultShape = windows.Select(w => w.Length).ToArray();
        return new ConvPlan(call, problem, ConvOperation.Forward, resultShape, algorithm, explanation);
    }

    /// <summary>The product of <paramref name="extents"/>, or null where it passes int.MaxValue (shapes are the
    /// caller's: any product must end in a refusal by name, never an OverflowException or a wrapped int).</summary>
    internal static int? ProductWithinInt(IEnumerable<int> extents)
    {
        long product = 1;
        foreach (int extent in extents)
            // product <= int.MaxValue and extent < 2^31 here, so the long cannot overflow.
            if ((product *= extent) > int.MaxValue)
                return null;
        return (int)product;
    }

    /// <summary>How many leading axes have kernel extent 1 and fold into the batch, leaving at most 3 spatial
    /// axes.</summary>
    private static int FoldedAxes(string call, string kernelName, int[] kernel)
    {
        int firstExtended = Array.FindIndex(kernel, s => s > 1);
        int folded = firstExtended < 0 ? kernel.Length - 1 : firstExtended;
        if (kernel.Length - folded > ConvProblem.MaxRank)
            throw new UnsupportedCallException(
                call,
                kernelName,
                $"shape [{Tensor.FormatShape(kernel)}] needs {kernel.Length - folded} spatial axes; "
                    + $"at most {ConvProblem.MaxRank} are handled"
            );
        return folded;
    }

    /// <summary>
    /// scipy's 'valid' rule: one array must be at least as large as the other in every axis, or only in
    /// the convolved <paramref name="axes"/> when given (fftconvolve/oaconvolve broadcast the others).
    /// </summary>
    internal static void RequireValidOrder(string call, int[] in1, int[] in2, IReadOnlyCollection<int>? axes = null)
    {
        var checkedAxes = Enumerable
            .Range(0, Math.Min(in1.Length, in2.Length))
            .Where(a => axes is null || axes.Contains(a))
            .ToList();
        bool firstLarger = checkedAxes.All(a => in1[a] >= in2[a]);
        bool secondLarger = checkedAxes.All(a => in1[a] <= in2[a]);
        if (!firstLarger && !secondLarger)
            throw new InvalidCallException(
                call,
                null,
                $"in 'valid' mode one of in1 [{Tensor.FormatShape(in1)}] and in2 "
                    + $"[{Tensor.FormatShape(in2)}] must be at least "
                    + $"as large as the other in every {(axes is null ? "" : "convolved ")}dimension."
            );
    }
}
