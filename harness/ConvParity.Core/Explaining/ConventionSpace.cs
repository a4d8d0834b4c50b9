using System.Globalization;
using ConvParity.Conventions;
using ConvParity.Problems;

namespace ConvParity.Explaining;

/// <summary>
/// The conventions worth trying: the neighbours of a known one (what a convention bug turns it into),
/// and every convention the shapes of x, w and y allow (what <c>explain</c> searches).
/// </summary>
public static class ConventionSpace
{
    /// <summary>Strides tried per axis by the shape search: larger ones are rare and multiply the search.</summary>
    public const int MaxStride = 4;

    private static readonly OperandRounding[] ReducedPrecisions =
    [
        OperandRounding.Tf32,
        OperandRounding.BFloat16,
        OperandRounding.Float16,
    ];

    /// <summary>
    /// The conventions one bug away from <paramref name="h"/>: the flip toggled; the window shifted by one
    /// on one or every axis (the 'same' anchor or a pad off by one), alone and with the flip toggled; the
    /// stride phase; pads before and after swapped; the kernel's channels or spatial axes read in the wrong
    /// order; data read and written channels-last; operands rounded to TF32, bfloat16 or float16.
    /// </summary>
    public static IEnumerable<Candidate> Neighbours(Hypothesis h)
    {
        ArgumentNullException.ThrowIfNull(h);
        var p = h.Problem;
        int rank = p.Rank;
        int[] before = h.PadBefore,
            after = h.PadAfter;
        bool flips = p.KernelSize.Any(k => k > 1);
        string flipChange = p.Flip
            ? "kernel not flipped (correlation instead of true convolution)"
            : "kernel flipped (true convolution instead of correlation)";
        var found = new List<Candidate>();
        void Add(string change, Hypothesis? neighbour)
        {
            if (neighbour is not null)
                found.Add(new Candidate(neighbour, change));
        }

        if (flips)
            Add(flipChange, h.With(before, after, !p.Flip));
        foreach (var (shift, words) in Shifts(p))
        {
            int[] b = [.. before.Select((v, a) => v - shift[a])],
                e = [.. after.Select((v, a) => v + shift[a])];
            Add(words, h.With(b, e, p.Flip));
            if (flips)
                Add($"{flipChange} and {words}", h.With(b, e, !p.Flip));
        }
        var uneven = Enumerable.Range(0, rank).Where(a => before[a] != after[a]).ToArray();
        if (uneven.Length > 0)
            Add("pads swapped (before <-> after)", h.With(after, before, p.Flip));
        if (uneven.Length > 1)
            foreach (int a in uneven)
                Add(
                    $"pads swapped (before <-> after) on spatial axis {a}",
                    h.With(
                        [.. before.Select((v, i) => i == a ? after[i] : v)],
                        [.. after.Select((v, i) => i == a ? before[i] : v)],
                        p.Flip
                    )
                );

        foreach (var candidate in LayoutBugs(h))
            found.Add(candidate);
        foreach (var precision in ReducedPrecisions)
            Add($"operands rounded to {Rounding.Describe(precision)}", h.WithRounding(precision));
        // Changes that come to the same computation (pads swapped = window shifted by one, say) are one neighbour with
        // both names.
        return found
            .Where(c => c.Hypothesis.Key != h.Key)
            .GroupBy(c => c.Hypothesis.Key)
            .Select(g => new Candidate(g.First().Hypothesis, string.Join(" = ", g.Select(c => c.Change).Distinct())));
    }

    /// <summary>Window shifts: each axis by +-1 (and every stride phase), every axis at once by +-1, and every strided
    /// axis at once.</summary>
    private static IEnumerable<(int[] Shift, string Words)> Shifts(ConvProblem p)
    {
        int rank = p.Rank;
        int strided = p.Stride.Count(s => s > 1);
        if (strided > 1 && strided < rank)
            foreach (int d in new[] { 1, -1 })
                yield return (
                    [.. p.Stride.Select(s => s > 1 ? d : 0)],
                    $"stride phase off by {d.ToString("+0;-0", CultureInfo.InvariantCulture)} on every strided axis"
                );
        for (int a = 0; a < rank; a++)
        {
            int s = p.Stride[a];
            foreach (int d in Enumerable.Range(1, Math.Max(1, s - 1)).SelectMany(d => new[] { d, -d }))
            {
                var shift = new int[rank];
                shift[a] = d;
                string amount = d.ToString("+0;-0", CultureInfo.InvariantCulture);
                yield return (
                    shift,
                    s > 1
                        ? $"stride phase off by {amount} on spatial axis {a}"
                        : $"window shifted by {amount} on spatial axis {a} (the 'same' anchor or a pad is off by one)"
                );
            }
        }
        if (rank > 1)
            foreach (int d in new[] { 1, -1 })
            {
                string amount = d.ToString("+0;-0", CultureInfo.InvariantCulture);
                yield return (
                    Enumerable.Repeat(d, rank).ToArray(),
                    p.Stride.All(s => s > 1)
                        ? $"stride phase off by {amount} on every spatial axis"
                        : $"window shifted by {amount} on every spatial axis (the 'same' anchor, "
                            + "a pad or the stride phase is off by one)"
                );
            }
    }

    /// <summary>Arrays read in the wrong order: kernel channels swapped, kernel spatial axes transposed, data
    /// channels-last.</summary>
    private static IEnumerable<Candidate> LayoutBugs(Hypothesis h)
    {
        var p = h.Problem;
        int rank = p.Rank;
        if (p.Unshared || h.Operation == ConvOperation.GradWeights || h.Data != DataLayout.AsPlanned)
            yield break;
        int[] spatial = [.. Enumerable.Range(2, rank)];
        int[] k = [.. p.KernelSize];
        if (p.Groups == 1 && p.InChannels == p.OutChannels && p.InChannels > 1)
        {
            var view = new ArrayView([p.InChannels, p.OutChannels, .. k], [1, 0, .. spatial]);
            yield return new Candidate(
                h.WithViews(h.First, view, h.Result),
                "kernel read as (in, out, ...) instead of (out, in, ...)"
            );
        }
        if (rank > 1)
        {
            var view = new ArrayView(
                [p.OutChannels, p.InChannelsPerGroup, .. k.Reverse()],
                [0, 1, .. spatial.Reverse()]
            );
            if (!view.KeepsOrder)
                yield return new Candidate(h.WithViews(h.First, view, h.Result), "kernel spatial axes transposed");
        }
        if (h.Operation == ConvOperation.Forward && h.CropBefore.All(c => c == 0) && h.CropAfter.All(c => c == 0))
        {
            int[] last = [0, rank + 1, .. Enumerable.Range(1, rank)];
            var data = new ArrayView([p.Batch, .. p.InputSize, p.InChannels], last);
            var result = new ArrayView([p.Batch, .. p.OutputSize, p.OutChannels], last);
            if (!data.KeepsOrder || !result.KeepsOrder)
                yield return new Candidate(
                    h.WithViews(data, h.Second, result),
                    "data read and written as (N, spatial..., C) instead of (N, C, spatial...)"
                );
        }
    }

    /// <summary>Dilations tried per axis by the shape search.</summary>
    public const int MaxDilation = 4;

    /// <summary>
    /// Every convention that takes arrays of these shapes to an answer of shape <paramref name="y"/>, simplest
    /// first (in order of <see cref="Hypothesis.Complexity"/>), made as they are asked for: forward or transposed
    /// convolution; plain, channels-first or channels-last data; four kernel layouts, with the spatial axes in
    /// order or transposed (every order of a plain kernel's axes); every group count the channels allow
    /// (depthwise and channel multipliers included); flip or not; per axis every stride up to
    /// <see cref="MaxStride"/>, every dilation up to <see cref="MaxDilation"/> and every window start (every
    /// 'same' anchor and pad split, stride phases); zero padding, and for the forward map with padding also the
    /// reflect, mirror, nearest and wrap boundaries. Candidates whose output shape cannot be y's are never made.
    /// </summary>
    public static IEnumerable<Hypothesis> FromShapes(int[] x, int[] w, int[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(y);
        return Ordered(x, w, y);
    }

    /// <summary>At most how many conventions <see cref="FromShapes"/> yields (an upper bound: some settings give no
    /// valid problem).</summary>
    public static long Count(int[] x, int[] w, int[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(y);
        long total = 0;
        foreach (var frame in Frames(x, w, Align(y, x.Length)))
        {
            long combinations = 1;
            for (int a = 0; a < frame.InputSize.Length; a++)
                combinations = Math.Min(
                    long.MaxValue / 16,
                    combinations * AxisOptions(frame.InputSize[a], frame.KernelSize[a], frame.OutputSize[a]).Count
                );
            total = Math.Min(long.MaxValue / 16, total + combinations * 2 * Boundaries(frame.Operation).Length);
        }
        return total;
    }

    private static IEnumerable<Hypothesis> Ordered(int[] x, int[] w, int[] y)
    {
        var aligned = Align(y, x.Length);
        var frames = Frames(x, w, aligned)
            .Select(f => (Frame: f, Axes: AxesOf(f)))
            .Where(f => f.Axes is not null)
            .ToList();
        if (frames.Count == 0)
            yield break;
        var keys = new HashSet<(ConvProblem, ConvOperation, string)>();
        int most = frames.Max(f => FrameCost(f.Frame) + 1 + f.Axes!.Sum(a => a[^1].Cost));
        for (int total = 0; total <= most; total++)
            foreach (var (frame, axes) in frames)
            foreach (var boundary in Boundaries(frame.Operation))
            {
                int cost = total - FrameCost(frame) - (boundary.Kind == BoundaryKind.Zero ? 0 : 1);
                if (cost < 0)
                    continue;
                foreach (var combination in WithCost(axes!, cost))
                foreach (var h in Expand(frame, combination, boundary, y))
                    if (keys.Add(h.Key))
                        yield return h;
            }
    }

    /// <summary>What a frame adds to <see cref="Hypothesis.Complexity"/> (its share of the same sum).</summary>
    private static int FrameCost(LayoutFrame f) =>
        (f.Data is DataLayout.ChannelsLast ? 1 : 0)
        + (f.Kernel is KernelLayout.InOut or KernelLayout.SpatialInOut or KernelLayout.OutSpatialIn ? 1 : 0)
        + (f.KernelAxes.Select((p, i) => p == i).All(same => same) ? 0 : 2)
        + (f.Operation == ConvOperation.GradInput ? 2 : 0)
        + (f.Groups != 1 ? 1 : 0);

    private static Boundary[] Boundaries(ConvOperation operation) =>
        operation == ConvOperation.Forward
            ?
            [
                Boundary.Zero,
                new Boundary(BoundaryKind.Reflect),
                new Boundary(BoundaryKind.Mirror),
                new Boundary(BoundaryKind.Nearest),
                new Boundary(BoundaryKind.Wrap),
            ]
            : [Boundary.Zero];

    /// <summary>Per axis, the options grouped by cost, cheapest first; null when some axis has none.</summary>
    private static List<AxisOption>[]? AxesOf(LayoutFrame f)
    {
        var axes = Enumerable
            .Range(0, f.InputSize.Length)
            .Select(a => AxisOptions(f.InputSize[a], f.KernelSize[a], f.OutputSize[a]))
            .ToArray();
        return axes.Any(o => o.Count == 0) ? null : axes;
    }

    /// <summary>Every choice of one option per axis whose costs add up to <paramref name="cost"/>.</summary>
    private static IEnumerable<AxisOption[]> WithCost(List<AxisOption>[] axes, int cost)
    {
        var chosen = new AxisOption[axes.Length];
        var rest = new int[axes.Length + 1];
        for (int a = axes.Length - 1; a >= 0; a--)
            rest[a] = rest[a + 1] + axes[a][^1].Cost;
        return Walk(0, cost);

        IEnumerable<AxisOption[]> Walk(int axis, int left)
        {
            if (axis == axes.Length)
            {
                if (left == 0)
                    yield return [.. chosen];
                yield break;
            }
            if (left > rest[axis])
                yield break;
            foreach (var option in axes[axis])
            {
                if (option.Cost > left)
                    break;
                chosen[axis] = option;
                foreach (var found in Walk(axis + 1, left - option.Cost))
                    yield return found;
            }
        }
    }

    /// <summary>Gives <paramref name="y"/> the rank of x by adding or removing leading unit axes (a scalar answer is
    /// (1, ..., 1)).</summary>
    private static int[] Align(int[] y, int rank)
    {
        var shape = y.ToList();
        while (shape.Count < rank)
            shape.Insert(0, 1);
        while (shape.Count > rank && shape[0] == 1)
            shape.RemoveAt(0);
        return [.. shape];
    }

    /// <summary>One reading of the arrays: layouts, operation, the canonical sizes, groups, and the views.</summary>
    private sealed record LayoutFrame(
        ConvOperation Operation,
        DataLayout Data,
        KernelLayout Kernel,
        int[] KernelAxes,
        int Batch,
        int InChannels,
        int OutChannels,
        int Groups,
        int[] InputSize,
        int[] KernelSize,
        int[] OutputSize,
        ArrayView First,
        ArrayView Second,
        ArrayView Result
    );

    private static IEnumerable<LayoutFrame> Frames(int[] x, int[] w, int[] y)
    {
        foreach (var operation in new[] { ConvOperation.Forward, ConvOperation.GradInput })
        {
            foreach (var plain in PlainFrames(operation, x, w, y))
                yield return plain;
            foreach (var data in new[] { DataLayout.ChannelsFirst, DataLayout.ChannelsLast })
            foreach (
                var kernel in new[]
                {
                    KernelLayout.OutIn,
                    KernelLayout.InOut,
                    KernelLayout.SpatialInOut,
                    KernelLayout.OutSpatialIn,
                }
            )
            foreach (bool reversed in new[] { false, true })
            foreach (var frame in ChannelFrames(operation, data, kernel, reversed, x, w, y))
                yield return frame;
        }
    }

    /// <summary>Plain arrays: every axis spatial; leading axes the kernel does not extend, equal in x and y, form the
    /// batch. The kernel's spatial axes are read in every order.</summary>
    private static IEnumerable<LayoutFrame> PlainFrames(ConvOperation operation, int[] x, int[] w, int[] y)
    {
        if (x.Length != w.Length || y.Length != x.Length)
            yield break;
        int fold = 0;
        while (fold < x.Length - 1 && w[fold] == 1 && x[fold] == y[fold])
            fold++;
        int rank = x.Length - fold;
        if (rank > ConvProblem.MaxRank)
            yield break;
        int batch = x.Take(fold).Aggregate(1, (p, s) => p * s);
        int[] xs = x[fold..],
            ws = w[fold..],
            ys = y[fold..];
        var (inputSize, outputSize) = operation == ConvOperation.Forward ? (xs, ys) : (ys, xs);
        foreach (var order in Permutations(rank))
        {
            var kernel = new ArrayView([1, 1, .. ws], [0, 1, .. order.Select(a => a + 2)]);
            if (order.Select((p, i) => p != i).Any(moved => moved) && kernel.KeepsOrder)
                continue;
            yield return new LayoutFrame(
                operation,
                DataLayout.Plain,
                KernelLayout.Plain,
                order,
                batch,
                1,
                1,
                1,
                inputSize,
                kernel.CanonicalShape[2..],
                outputSize,
                ArrayView.Reshape([batch, 1, .. xs]),
                kernel,
                ArrayView.Reshape([batch, 1, .. ys])
            );
        }
    }

    /// <summary>Every order of <paramref name="rank"/> axes, the identity first.</summary>
    private static IEnumerable<int[]> Permutations(int rank)
    {
        if (rank == 1)
        {
            yield return [0];
            yield break;
        }
        foreach (var rest in Permutations(rank - 1))
            for (int at = rank - 1; at >= 0; at--)
                yield return [.. rest[..at], rank - 1, .. rest[at..]];
    }

    /// <summary>Channel-carrying arrays in one data and kernel layout, with every group count the channels
    /// allow.</summary>
    private static IEnumerable<LayoutFrame> ChannelFrames(
        ConvOperation operation,
        DataLayout data,
        KernelLayout kernel,
        bool reversed,
        int[] x,
        int[] w,
        int[] y
    )
    {
        int rank = x.Length - 2;
        if (rank is < 1 or > ConvProblem.MaxRank || w.Length != rank + 2 || y.Length != rank + 2)
            yield break;
        if (reversed && rank < 2)
            yield break;
        var dataView = DataView(data, x);
        var resultView = DataView(data, y);
        var kernelView = KernelView(kernel, reversed, w);
        int[] xc = dataView.CanonicalShape,
            yc = resultView.CanonicalShape,
            wc = kernelView.CanonicalShape;
        if (xc[0] != yc[0])
            yield break;
        // The kernel is (K, C/G, k...): the forward map takes C = x's channels to K = y's; the transposed map the
        // reverse. G is whatever makes the kernel's channels fit: C / (its C/G), dividing K too.
        var (c, k) = operation == ConvOperation.Forward ? (xc[1], yc[1]) : (yc[1], xc[1]);
        if (wc[0] != k || wc[1] < 1 || c % wc[1] != 0 || k % (c / wc[1]) != 0)
            yield break;
        int[] xs = xc[2..],
            ys = yc[2..];
        var (inputSize, outputSize) = operation == ConvOperation.Forward ? (xs, ys) : (ys, xs);
        var spatial = Enumerable.Range(0, rank);
        yield return new LayoutFrame(
            operation,
            data,
            kernel,
            [.. reversed ? spatial.Reverse() : spatial],
            xc[0],
            c,
            k,
            c / wc[1],
            inputSize,
            wc[2..],
            outputSize,
            dataView,
            kernelView,
            resultView
        );
    }

    private static ArrayView DataView(DataLayout data, int[] shape)
    {
        int rank = shape.Length - 2;
        return data == DataLayout.ChannelsFirst
            ? ArrayView.Reshape(shape)
            : new ArrayView([.. shape], [0, rank + 1, .. Enumerable.Range(1, rank)]);
    }

    private static ArrayView KernelView(KernelLayout kernel, bool reversed, int[] shape)
    {
        int rank = shape.Length - 2;
        // Where the output-channel, input-channel and first spatial axes sit in the stored array.
        var (outAxis, inAxis, firstSpatial) = kernel switch
        {
            KernelLayout.OutIn => (0, 1, 2),
            KernelLayout.InOut => (1, 0, 2),
            KernelLayout.SpatialInOut => (rank + 1, rank, 0),
            _ => (0, rank + 1, 1),
        };
        var spatial = Enumerable.Range(firstSpatial, rank);
        return new ArrayView([.. shape], [outAxis, inAxis, .. reversed ? spatial.Reverse() : spatial]);
    }

    /// <summary>The hypotheses of one frame, one choice per axis and one boundary: the kernel flipped or not.</summary>
    private static IEnumerable<Hypothesis> Expand(
        LayoutFrame f,
        AxisOption[] combination,
        Boundary boundary,
        int[] resultShape
    )
    {
        int[] before = [.. combination.Select(o => o.Before)],
            after = [.. combination.Select(o => o.After)];
        bool padded = before.Any(b => b > 0) || after.Any(a => a > 0);
        bool cropped = before.Any(b => b < 0) || after.Any(a => a < 0);
        // Another boundary changes nothing without padding, and cannot be cropped.
        if (boundary.Kind != BoundaryKind.Zero && (!padded || cropped))
            yield break;
        var frame = new Frame(
            f.Batch,
            f.InChannels,
            f.OutChannels,
            f.KernelSize,
            [.. combination.Select(o => o.Stride)],
            [.. combination.Select(o => o.Dilation)],
            f.Groups,
            boundary,
            false
        );
        bool flips = f.KernelSize.Any(k => k > 1);
        bool reordered = !f.KernelAxes.Select((p, i) => p == i).All(same => same);
        foreach (bool flip in flips ? new[] { true, false } : [false])
            if (
                Hypothesis.Create(
                    frame,
                    f.InputSize,
                    before,
                    after,
                    flip,
                    f.OutputSize,
                    f.Operation,
                    f.First,
                    f.Second,
                    f.Result,
                    resultShape,
                    ReferenceAlgorithm.Direct,
                    OperandRounding.None,
                    f.Data,
                    f.Kernel,
                    reordered
                ) is
                { } h
            )
                yield return h;
    }

    /// <summary>One axis's stride, dilation and signed pads, and its share of <see
    /// cref="Hypothesis.Complexity"/>.</summary>
    private readonly record struct AxisOption(int Stride, int Dilation, int Before, int After)
    {
        public int Cost =>
            (Stride != 1 ? 1 : 0) + (Dilation != 1 ? 1 : 0) + Math.Abs(Before - After) + (Before < 0 ? 2 : 0);
    }

    /// <summary>
    /// Per axis: every stride, dilation and first-window start that gives <paramref name="outputSize"/> windows,
    /// each window touching the input, cheapest first. A single output admits every position of the window;
    /// several outputs admit starts from fully padded up to the stride phases (starting at most stride-1 inside
    /// the input).
    /// </summary>
    private static List<AxisOption> AxisOptions(int inputSize, int kernel, int outputSize)
    {
        var options = new List<AxisOption>();
        int maxStride = outputSize == 1 ? 1 : MaxStride;
        int maxDilation = kernel == 1 ? 1 : MaxDilation;
        for (int s = 1; s <= maxStride; s++)
        for (int d = 1; d <= maxDilation; d++)
        {
            long span = (long)(kernel - 1) * d + 1;
            if (span > int.MaxValue / 2)
                continue;
            int effective = (int)span;
            long last = inputSize - 1 - (long)(outputSize - 1) * s;
            if (outputSize > 1)
                last = Math.Min(last, s - 1);
            for (long start = -(effective - 1); start <= last; start++)
            {
                long after = (long)(outputSize - 1) * s + effective - inputSize + start;
                if (after is > int.MaxValue / 2 or < int.MinValue / 2)
                    continue;
                options.Add(new AxisOption(s, d, (int)-start, (int)after));
            }
        }
        return
        [
            .. options
                .OrderBy(o => o.Cost)
                .ThenBy(o => o.Stride)
                .ThenBy(o => o.Dilation)
                .ThenBy(o => o.Before < 0 ? 1 : 0),
        ];
    }
}
