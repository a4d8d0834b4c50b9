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

    /// <summary>
    /// Every convention that takes arrays of these shapes to an answer of shape <paramref name="y"/>: forward
    /// or transposed convolution; plain, channels-first or channels-last data; four kernel layouts, with
    /// the spatial axes in order or transposed; flip or not; per axis every stride up to <see cref="MaxStride"/>
    /// and every window start (every 'same' anchor and pad split, stride phases); zero padding, and for the
    /// forward map with padding also the reflect, mirror, nearest and wrap boundaries. Simpler conventions
    /// come first; at most <paramref name="limit"/> are returned.
    /// </summary>
    public static IReadOnlyList<Hypothesis> FromShapes(int[] x, int[] w, int[] y, int limit, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(y);
        var aligned = Align(y, x.Length);
        var found = new List<Hypothesis>();
        var keys = new HashSet<(ConvProblem, ConvOperation, string)>();
        truncated = false;
        foreach (var frame in Frames(x, w, aligned))
        {
            foreach (var h in Expand(frame, y))
            {
                if (!keys.Add(h.Key))
                    continue;
                if (found.Count == limit)
                {
                    truncated = true;
                    break;
                }
                found.Add(h);
            }
            if (truncated)
                break;
        }
        return [.. found.OrderBy(h => h.Complexity)];
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

    /// <summary>One reading of the arrays: layouts, operation, the canonical sizes, and the views.</summary>
    private sealed record LayoutFrame(
        ConvOperation Operation,
        DataLayout Data,
        KernelLayout Kernel,
        bool Reversed,
        int Batch,
        int InChannels,
        int OutChannels,
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
            if (PlainFrame(operation, x, w, y) is { } plain)
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
                if (ChannelFrame(operation, data, kernel, reversed, x, w, y) is { } frame)
                    yield return frame;
        }
    }

    /// <summary>Plain arrays: every axis spatial; leading axes the kernel does not extend, equal in x and y, form the
    /// batch.</summary>
    private static LayoutFrame? PlainFrame(ConvOperation operation, int[] x, int[] w, int[] y)
    {
        if (x.Length != w.Length || y.Length != x.Length)
            return null;
        int fold = 0;
        while (fold < x.Length - 1 && w[fold] == 1 && x[fold] == y[fold])
            fold++;
        int rank = x.Length - fold;
        if (rank > ConvProblem.MaxRank)
            return null;
        int batch = x.Take(fold).Aggregate(1, (p, s) => p * s);
        int[] xs = x[fold..],
            ks = w[fold..],
            ys = y[fold..];
        var (inputSize, outputSize) = operation == ConvOperation.Forward ? (xs, ys) : (ys, xs);
        return new LayoutFrame(
            operation,
            DataLayout.Plain,
            KernelLayout.Plain,
            false,
            batch,
            1,
            1,
            inputSize,
            ks,
            outputSize,
            ArrayView.Reshape([batch, 1, .. xs]),
            ArrayView.Reshape([1, 1, .. ks]),
            ArrayView.Reshape([batch, 1, .. ys])
        );
    }

    private static LayoutFrame? ChannelFrame(
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
            return null;
        if (reversed && rank < 2)
            return null;
        var dataView = DataView(data, x);
        var resultView = DataView(data, y);
        var kernelView = KernelView(kernel, reversed, w);
        int[] xc = dataView.CanonicalShape,
            yc = resultView.CanonicalShape,
            wc = kernelView.CanonicalShape;
        if (xc[0] != yc[0])
            return null;
        // The kernel is (K, C, k...): the forward map takes C = x's channels to K = y's; the transposed map the
        // reverse.
        var (c, k) = operation == ConvOperation.Forward ? (xc[1], yc[1]) : (yc[1], xc[1]);
        if (wc[0] != k || wc[1] != c)
            return null;
        int[] xs = xc[2..],
            ys = yc[2..];
        var (inputSize, outputSize) = operation == ConvOperation.Forward ? (xs, ys) : (ys, xs);
        return new LayoutFrame(
            operation,
            data,
            kernel,
            reversed,
            xc[0],
            c,
            k,
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

    /// <summary>Every flip, stride, window start and boundary for one layout frame, simplest first.</summary>
    private static IEnumerable<Hypothesis> Expand(LayoutFrame f, int[] resultShape)
    {
        int rank = f.InputSize.Length;
        var perAxis = Enumerable
            .Range(0, rank)
            .Select(a => AxisOptions(f.InputSize[a], f.KernelSize[a], f.OutputSize[a]))
            .ToArray();
        if (perAxis.Any(o => o.Count == 0))
            yield break;
        bool flips = f.KernelSize.Any(k => k > 1);
        var boundaries =
            f.Operation == ConvOperation.Forward
                ? new[]
                {
                    Boundary.Zero,
                    new Boundary(BoundaryKind.Reflect),
                    new Boundary(BoundaryKind.Mirror),
                    new Boundary(BoundaryKind.Nearest),
                    new Boundary(BoundaryKind.Wrap),
                }
                : [Boundary.Zero];
        foreach (var combination in Cartesian(perAxis))
        {
            int[] stride = [.. combination.Select(o => o.Stride)];
            int[] before = [.. combination.Select(o => o.Before)],
                after = [.. combination.Select(o => o.After)];
            bool padded = before.Any(b => b > 0) || after.Any(a => a > 0);
            bool cropped = before.Any(b => b < 0) || after.Any(a => a < 0);
            foreach (var boundary in boundaries)
            {
                // Another boundary changes nothing without padding, and cannot be cropped.
                if (boundary.Kind != BoundaryKind.Zero && (!padded || cropped))
                    continue;
                var frame = new Frame(
                    f.Batch,
                    f.InChannels,
                    f.OutChannels,
                    f.KernelSize,
                    stride,
                    [.. Enumerable.Repeat(1, rank)],
                    1,
                    boundary,
                    false
                );
                foreach (bool flip in flips ? new[] { true, false } : [false])
                {
                    var h = Hypothesis.Create(
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
                        f.Reversed
                    );
                    if (h is not null)
                        yield return h;
                }
            }
        }
    }

    private readonly record struct AxisOption(int Stride, int Before, int After);

    /// <summary>
    /// Per axis: every stride and first-window start that gives <paramref name="outputSize"/> windows, each
    /// window touching the input. A single output admits every position of the window; several outputs
    /// admit starts from fully padded up to the stride phases (starting at most stride-1 inside the input).
    /// </summary>
    private static List<AxisOption> AxisOptions(int inputSize, int kernel, int outputSize)
    {
        var options = new List<AxisOption>();
        int maxStride = outputSize == 1 ? 1 : MaxStride;
        for (int s = 1; s <= maxStride; s++)
        {
            int lastStart = inputSize - 1 - (outputSize - 1) * s;
            if (outputSize > 1)
                lastStart = Math.Min(lastStart, s - 1);
            for (int start = -(kernel - 1); start <= lastStart; start++)
                options.Add(new AxisOption(s, -start, (outputSize - 1) * s + kernel - inputSize + start));
        }
        return
        [
            .. options
                .OrderBy(o => o.Stride)
                .ThenBy(o => Math.Abs(o.Before - o.After))
                .ThenBy(o => o.Before < 0 ? 1 : 0),
        ];
    }

    private static IEnumerable<AxisOption[]> Cartesian(List<AxisOption>[] perAxis)
    {
        var index = new int[perAxis.Length];
        while (true)
        {
            yield return [.. index.Select((i, a) => perAxis[a][i])];
            int d = perAxis.Length - 1;
            while (d >= 0 && ++index[d] == perAxis[d].Count)
                index[d--] = 0;
            if (d < 0)
                yield break;
        }
    }
}
