using System.Numerics;
using System.Runtime.InteropServices;
using ConvParity.Engines;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Cpu;

/// <summary>
/// The fast CPU engine ("cpu"): the same answers as <see cref="ReferenceEngine"/> within the float32
/// bound, computed with SIMD microkernels (AVX-512, AVX2 or portable vectors, chosen at run time) on a
/// team of threads that stay ready between calls and block when idle.
/// <para>
/// Every operation works on the boundary-extended input: the forward map and the weight gradient read a
/// materialised extended copy of x (skipped when nothing is padded; on one thread the forward map's dense kernel
/// extends about 2 MB of batches at a time, just before it reads them), the input gradient is computed over
/// the extended domain and folded back onto x (terms that read a constant outside get no gradient); with unit strides
/// and a constant outside, it is the forward correlation of dy extended by zeros, straight into dx.
/// The input gradient is the forward correlation of the output gradient spread out by the stride, with
/// the kernel reversed and the channel axes swapped; the weight gradient is a correlation of x with the
/// output gradient as kernel, summed over the batch. Kernels, chosen per call: the dense microkernel
/// (register blocks of output channels by positions, packed weights) for everything; a pointwise kernel
/// for 1x1 stride-1 convolutions; a per-plane kernel (vectors along output rows, cache-sized extended
/// tiles) for one-channel-per-group problems with unit stride on the last axis; for large 1-D and 2-D
/// kernels of such problems a double-precision overlap-save FFT over tiles, when a cycle model says it is
/// cheaper, with each element proven within the float32 bound or summed directly (see FftTiles); plain loops for
/// unshared weights.
/// </para>
/// <para>
/// Workspace besides the result: the extended input (N * C * prod((O-1)s + (k-1)d + 1) floats, or a slice of
/// whole batches of it; none when nothing is padded, and for the per-plane and FFT paths only a tile of at most
/// 64 K floats per thread (FFT: 4 L doubles per thread, L &lt;= 16384, and one kernel spectrum of 2 L doubles per
/// channel)), for the input gradient the spread output gradient
/// (N * K * prod((O-1)s + 1 + 2(k-1)d)) and the extended gradient (with unit strides and a constant outside, dy
/// extended by zeros instead: N * K * prod(I + (k-1)d), or a slice of whole batches), and the packed weights (at
/// most two vector widths more output channels than the weights have). No im2col copy: nothing grows with the
/// kernel volume.
/// </para>
/// <para>
/// The reference skips terms that read zero padding; multiplying padding by a weight gives the same sum
/// unless the weight is Inf or NaN (0 * Inf = NaN). So when the operand that meets the padding (the
/// weights, or the output gradient for the weight gradient) holds a non-finite value, this engine hands
/// the call to the reference engine, whose term-by-term loop keeps the NaN and Inf positions exact.
/// </para>
/// </summary>
public sealed unsafe class CpuEngine : IConvEngine
{
    /// <summary>The name used on the command line: "cpu".</summary>
    public const string EngineName = "cpu";

    private readonly WorkerTeam _team;
    private readonly ReferenceEngine _exact = new();
    private readonly Workspace _workspace = new();

    /// <summary>An engine running on <paramref name="threads"/> threads (0: one per processor).</summary>
    /// <param name="threads">The number of threads, or 0 for one per logical processor.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is negative.</exception>
    public CpuEngine(int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        _team = WorkerTeam.Shared(Threads);
    }

    /// <inheritdoc />
    public string Name => EngineName;

    /// <summary>The number of threads a call runs on.</summary>
    public int Threads { get; }

    /// <summary>
    /// Tests: the vector width in floats (16, 8 or 4). Widths the CPU lacks still run (the runtime
    /// emulates them, slowly), so every width's kernels are tested on any machine.
    /// </summary>
    internal int Lanes { get; init; } = SimdWidth.Lanes;

    /// <summary>Tests: the largest offset the weight gradient's positions may take (int.MaxValue), lowered to run
    /// the input channels in several runs on small problems.</summary>
    internal int PositionOffsetLimit { get; init; } = int.MaxValue;

    /// <summary>Floats of extended input the forward map's dense kernel holds at a time on one thread (512 K floats,
    /// 2 MB: a core's L2 cache on the machines measured), or one batch where a batch is larger. Tests lower it to
    /// run many slices on small problems.</summary>
    internal int SliceFloats { get; init; } = 1 << 19;

    /// <summary>Tests: take the FFT path wherever it applies, whatever the cost model says.</summary>
    internal bool ForceFft { get; init; }

    /// <summary>
    /// Hands back a result of this engine's Forward, GradInput or GradWeights that the caller is done with, so a
    /// later result of the same size reuses its memory instead of new memory (which costs page faults and
    /// full garbage collections). The caller must not use <paramref name="result"/> or its data afterwards.
    /// Results of other sources (the reference engine's, for non-finite operands) are left alone.
    /// </summary>
    /// <param name="result">A result of this engine, no longer used.</param>
    /// <returns>Whether the memory was taken back.</returns>
    public static bool Recycle(Tensor result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return MemoryMarshal.TryGetArray<float>(result.Data, out var segment)
            && segment.Array is { } array
            && segment.Offset == 0
            && segment.Count == array.Length
            && ResultArrays.Recycle(array);
    }

    /// <summary>The vector instruction set in use, in words.</summary>
    public static string InstructionSet => SimdWidth.Description;

    /// <summary>Whether the forward map of <paramref name="problem"/> runs on the per-plane kernel (single channels per
    /// group).</summary>
    private static bool TakesPlanePath(ConvProblem problem, Geometry s) =>
        !problem.Unshared && problem.InChannelsPerGroup == 1 && problem.OutChannelsPerGroup == 1 && PlaneKernel.Fits(s);

    private FftTiles.TileSize? FftTile(Geometry s) => FftTiles.Applies(s) ? FftTiles.ChooseTile(s, ForceFft) : null;

    /// <summary>The FFT tiles the forward map of <paramref name="problem"/> takes (finite x, finite w), or null where
    /// it sums directly.</summary>
    internal FftTiles.TileSize? ForwardFftTile(ConvProblem problem)
    {
        var s = new Geometry(problem);
        return TakesPlanePath(problem, s) ? FftTile(s) : null;
    }

    /// <inheritdoc />
    public Tensor Forward(ConvProblem problem, Tensor x, Tensor w)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.Forward, x, w, nameof(x), nameof(w));
        if (!AllFinite(w))
            return _exact.Forward(problem, x, w);
        var s = new Geometry(problem);
        // Every kernel writes every output element: no need to zero it first. Results live on the pinned
        // heap, whose memory the runtime reuses from call to call (fresh pages cost a fault each, measured
        // at a third of a depthwise call's time).
        var y = ResultArrays.Allocate(problem.OutputShape.Aggregate(1L, (a, b) => a * b), zeroed: false);
        int n = problem.Batch,
            c = problem.InChannels,
            k = problem.OutChannels,
            g = problem.Groups;
        int cg = problem.InChannelsPerGroup,
            kg = problem.OutChannelsPerGroup;
        if (TakesPlanePath(problem, s))
        {
            // The plane kernel and the FFT path extend their own cache-sized tiles.
            fixed (
                float* xp = x.Span,
                    wp = w.Span,
                    yp = y
            )
            {
                var call = new PlaneCall
                {
                    Batch = n,
                    Channels = c,
                    Shape = s,
                    Source = xp,
                    SourceSize = s.Input,
                    SourcePad = s.PadBefore,
                    Boundary = problem.Boundary,
                    W = wp,
                    ReverseTaps = problem.Flip,
                    Y = yp,
                };
                // FFT only where it is cheaper, and never with Inf or NaN in x (a transform spreads them everywhere).
                if (FftTile(s) is { } size && AllFinite(x))
                    FftTiles.Run(call, size, _team, Lanes);
                else
                    PlaneKernel.Run(call, _team, Lanes);
            }
            return new Tensor(y, problem.OutputShape);
        }
        if (problem.Unshared)
        {
            var (extended, rented) = ExtendedInput(problem, s, x);
            fixed (
                float* xp = extended.Span,
                    wp = w.Span,
                    yp = y
            )
                Unshared.Forward(UnsharedCall(problem, s, xp, wp, yp), _team);
            if (rented is not null)
                _workspace.Return(rented);
            return new Tensor(y, problem.OutputShape);
        }
        var box = PlaneBox.Forward(s, problem.Boundary);
        var (zeroRows, zeroColumns) = ZeroAxis.Of(box, s.Output, s.Stride, s.Kernel, s.Dilation);
        int ev = box.Volume,
            ov = s.OutputVolume,
            kv = s.KernelVolume;
        fixed (
            float* wp = w.Span,
                yp = y
        )
            RunOnBox(
                new DenseCall
                {
                    Batch = n,
                    Groups = g,
                    InPerGroup = cg,
                    OutPerGroup = kg,
                    PositionOffsets = _workspace.Offsets(s.Output, s.Stride, s.Extended),
                    TapOffsets = _workspace.Offsets(s.Kernel, s.Dilation, s.Extended),
                    X = null,
                    XBatch = (long)c * ev,
                    XGroup = (long)cg * ev,
                    XChannel = ev,
                    W = wp,
                    WGroup = (long)kg * cg * kv,
                    WOut = (long)cg * kv,
                    WIn = kv,
                    WTap = 1,
                    ReverseTaps = problem.Flip,
                    Y = yp,
                    YBatch = (long)k * ov,
                    YGroup = (long)kg * ov,
                    YOut = ov,
                    ReversePositions = false,
                    ZeroRows = zeroRows,
                    ZeroColumns = zeroColumns,
                },
                x,
                box,
                c,
                pointwise: PointwiseKernel.Fits(s)
            );
        return new Tensor(y, problem.OutputShape);
    }

    /// <summary>
    /// Runs <paramref name="call"/> with X the <paramref name="box"/> of each plane of <paramref name="source"/>
    /// (<paramref name="channels"/> planes a batch) on the dense kernel, or on the pointwise one where it fits. X is
    /// the source itself where the box is the plane; else the dense kernel extends it, on one thread a slice of
    /// batches at a time just before it reads them (see <see cref="SliceBatches"/>).
    /// </summary>
    private void RunOnBox(DenseCall call, Tensor source, PlaneBox box, int channels, bool pointwise)
    {
        if (box.IsInput)
        {
            fixed (float* xp = source.Span)
            {
                call.X = xp;
                if (pointwise)
                    PointwiseKernel.Run(call, _team, _workspace, Lanes);
                else
                    DenseKernel.Run(call, _team, _workspace, Lanes);
            }
            return;
        }
        int sliceBatches = SliceBatches(call.Batch, channels, box.Volume);
        var extended = _workspace.Rent((long)sliceBatches * channels * box.Volume);
        fixed (float* xp = extended)
        {
            call.X = xp;
            call.SliceBatches = sliceBatches;
            call.FillSlice = (first, batches) =>
                ExtendPlanes(box, source, first * channels, batches * channels, extended);
            DenseKernel.Run(call, _team, _workspace, Lanes);
        }
        _workspace.Return(extended);
    }

    /// <inheritdoc />
    public Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.GradInput, dy, w, nameof(dy), nameof(w));
        if (!AllFinite(w))
            return _exact.GradInput(problem, dy, w);
        var s = new Geometry(problem);
        int n = problem.Batch,
            c = problem.InChannels;
        int cg = problem.InChannelsPerGroup,
            kg = problem.OutChannelsPerGroup;
        if (GradientIsForward(problem, s))
            return UnitStrideGradInput(problem, s, dy, w);
        bool dense = !problem.Unshared && !(cg == 1 && kg == 1);
        // The dense kernel computes x's positions only, straight into dx, when the extension reads a constant and
        // the extended domain covers x: the gradient outside x would be dropped by the fold anyway.
        bool cropped = dense && !s.ExtendedIsInput && CoversInput(problem, s);
        // The gradient over the extended domain; the input itself when nothing is padded or cut off.
        bool direct = s.ExtendedIsInput || cropped;
        // Every kernel but the unshared one writes every element it computes; the fold adds.
        var dx = ResultArrays.Allocate(
            problem.InputShape.Aggregate(1L, (a, b) => a * b),
            zeroed: problem.Unshared || !direct
        );
        var extended = direct ? dx : _workspace.Rent((long)n * c * s.ExtendedVolume);
        fixed (
            float* dyp = dy.Span,
                wp = w.Span,
                ep = extended
        )
        {
            if (problem.Unshared)
            {
                // It adds into the extended gradient (a workspace array, not zeroed).
                if (!direct)
                    extended.AsSpan(0, n * c * s.ExtendedVolume).Clear();
                Unshared.GradInput(UnsharedCall(problem, s, ep, wp, dyp), _team);
            }
            else
            {
                var t = s.Transposed();
                var spread = Spread(problem, s, t, dyp);
                fixed (float* up = spread)
                {
                    int uv = t.InputVolume,
                        ev = s.ExtendedVolume;
                    if (cg == 1 && kg == 1)
                        PlaneKernel.Run(
                            new PlaneCall
                            {
                                Batch = n,
                                Channels = c,
                                Shape = t,
                                Source = up,
                                SourceSize = t.Input,
                                SourcePad = [0, 0, 0],
                                Boundary = Boundary.Zero,
                                W = wp,
                                ReverseTaps = !problem.Flip,
                                Y = ep,
                            },
                            _team,
                            Lanes
                        );
                    else
                        DenseKernel.Run(
                            GradInputCall(
                                problem,
                                wp,
                                // Cropped: x's positions, which start at the padding in the extended domain.
                                cropped
                                    ? up
                                        + (s.PadBefore[0] * t.Extended[1] + s.PadBefore[1]) * t.Extended[2]
                                        + s.PadBefore[2]
                                    : up,
                                uv,
                                cropped
                                    ? _workspace.Offsets(s.Input, [1, 1, 1], t.Extended)
                                    : _workspace.Offsets(t.Output, t.Stride, t.Extended),
                                _workspace.Offsets(t.Kernel, t.Dilation, t.Extended),
                                ep,
                                cropped ? s.InputVolume : ev
                            ),
                            _team,
                            _workspace,
                            Lanes
                        );
                }
                _workspace.Return(spread);
            }
        }
        if (!direct)
        {
            var box = PlaneBox.Forward(s, problem.Boundary);
            InPlaneRuns(
                box,
                n * c,
                (first, count, input, extendedBox) =>
                    Extension.Fold(
                        extended.AsSpan(first * box.Volume, count * box.Volume),
                        extendedBox,
                        box.Start,
                        box.Boundary,
                        input,
                        dx.AsSpan(first * box.InputVolume, count * box.InputVolume)
                    )
            );
            _workspace.Return(extended);
        }
        return new Tensor(dx, problem.InputShape);
    }

    /// <summary>Whether the input gradient of <paramref name="problem"/> is the forward correlation of dy extended by
    /// zeros (<see cref="UnitStrideGradInput"/>): a dense problem with unit strides that reads a constant outside
    /// x.</summary>
    internal static bool GradientIsForward(ConvProblem problem, Geometry s) =>
        !problem.Unshared
        && !(problem.InChannelsPerGroup == 1 && problem.OutChannelsPerGroup == 1)
        && problem.Boundary.ReadsConstant
        && s.Stride.All(v => v == 1);

    /// <summary>
    /// The input gradient of a dense problem with unit strides that reads a constant outside x: the forward correlation
    /// of dy extended by zeros (<see cref="PlaneBox.Gradient"/>) with the kernel reversed and the channel axes swapped,
    /// straight into dx. dy is extended as the forward map extends x, on one thread a slice of batches at a time, where
    /// the strided path spreads all of dy first and folds afterwards.
    /// </summary>
    private Tensor UnitStrideGradInput(ConvProblem problem, Geometry s, Tensor dy, Tensor w)
    {
        var dx = ResultArrays.Allocate(problem.InputShape.Aggregate(1L, (a, b) => a * b), zeroed: false);
        var box = PlaneBox.Gradient(s);
        fixed (
            float* wp = w.Span,
                dxp = dx
        )
        {
            var call = GradInputCall(
                problem,
                wp,
                null,
                box.Volume,
                _workspace.Offsets(s.Input, [1, 1, 1], box.Size),
                _workspace.Offsets(s.Kernel, s.Dilation, box.Size),
                dxp,
                s.InputVolume
            );
            (call.ZeroRows, call.ZeroColumns) = ZeroAxis.Of(box, s.Input, [1, 1, 1], s.Kernel, s.Dilation);
            RunOnBox(call, dy, box, problem.OutChannels, pointwise: s.KernelVolume == 1);
        }
        return new Tensor(dx, problem.InputShape);
    }

    /// <summary>
    /// The input gradient as a dense call: dy's planes of <paramref name="dyPlane"/> floats from
    /// <paramref name="x"/> (spread or extended), read at <paramref name="positions"/> and <paramref name="taps"/>,
    /// correlated with the kernel reversed and the channel axes swapped into planes of <paramref name="dxPlane"/>
    /// floats at <paramref name="y"/>.
    /// </summary>
    private static DenseCall GradInputCall(
        ConvProblem problem,
        float* w,
        float* x,
        int dyPlane,
        int[] positions,
        int[] taps,
        float* y,
        int dxPlane
    )
    {
        int cg = problem.InChannelsPerGroup,
            kg = problem.OutChannelsPerGroup,
            kv = taps.Length;
        return new DenseCall
        {
            Batch = problem.Batch,
            Groups = problem.Groups,
            InPerGroup = kg,
            OutPerGroup = cg,
            PositionOffsets = positions,
            TapOffsets = taps,
            X = x,
            XBatch = (long)problem.OutChannels * dyPlane,
            XGroup = (long)kg * dyPlane,
            XChannel = dyPlane,
            W = w,
            WGroup = (long)kg * cg * kv,
            WOut = kv,
            WIn = (long)cg * kv,
            WTap = 1,
            ReverseTaps = !problem.Flip,
            Y = y,
            YBatch = (long)problem.InChannels * dxPlane,
            YGroup = (long)cg * dxPlane,
            YOut = dxPlane,
            ReversePositions = false,
        };
    }

    /// <inheritdoc />
    public Tensor GradWeights(ConvProblem problem, Tensor x, Tensor dy)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.GradWeights, x, dy, nameof(x), nameof(dy));
        if (!AllFinite(dy))
            return _exact.GradWeights(problem, x, dy);
        var s = new Geometry(problem);
        var dw = ResultArrays.Allocate(problem.WeightShape.Aggregate(1L, (a, b) => a * b), zeroed: false);
        var (extended, rented) = ExtendedInput(problem, s, x);
        fixed (
            float* xp = extended.Span,
                dyp = dy.Span,
                dwp = dw
        )
        {
            int n = problem.Batch,
                c = problem.InChannels,
                k = problem.OutChannels,
                g = problem.Groups;
            int cg = problem.InChannelsPerGroup,
                kg = problem.OutChannelsPerGroup;
            int ev = s.ExtendedVolume,
                ov = s.OutputVolume,
                kv = s.KernelVolume;
            if (problem.Unshared)
                Unshared.GradWeights(UnsharedCall(problem, s, xp, dwp, dyp), _team);
            else
            {
                // dw(k, c, j) = sum over n, o of dy(n, k, o) x(n, c, o*s + j*d): a correlation whose "channels" are
                // the batch, "taps" the output positions and "positions" the pairs (input channel, kernel tap) of a
                // group, the flip applied to the kernel taps. Many positions, so the microkernel's blocks are full
                // and reuse each slice of the packed dy from cache. Positions are int offsets into a group's
                // planes: channels go in runs whose planes they can address (all of them but in huge problems).
                var kernelTaps = _workspace.Offsets(s.Kernel, s.Dilation, s.Extended);
                int run = Math.Max(1, Math.Min(cg, PositionOffsetLimit / ev));
                for (int first = 0; first < cg; first += run)
                {
                    int channels = Math.Min(run, cg - first);
                    var positions = new int[channels * kv];
                    for (int i = 0, p = 0; i < channels; i++)
                    for (int j = 0; j < kv; j++)
                        positions[p++] = i * ev + kernelTaps[problem.Flip ? kv - 1 - j : j];
                    DenseKernel.Run(
                        new DenseCall
                        {
                            Batch = 1,
                            Groups = g,
                            InPerGroup = n,
                            OutPerGroup = kg,
                            PositionOffsets = positions,
                            TapOffsets = _workspace.Offsets(s.Output, s.Stride, s.Extended),
                            X = xp + (long)first * ev,
                            XBatch = 0,
                            XGroup = (long)cg * ev,
                            XChannel = (long)c * ev,
                            W = dyp,
                            WGroup = (long)kg * ov,
                            WOut = ov,
                            WIn = (long)k * ov,
                            WTap = 1,
                            ReverseTaps = false,
                            Y = dwp + (long)first * kv,
                            YBatch = 0,
                            YGroup = (long)kg * cg * kv,
                            YOut = (long)cg * kv,
                            ReversePositions = false,
                        },
                        _team,
                        _workspace,
                        Lanes
                    );
                }
            }
        }
        if (rented is not null)
            _workspace.Return(rented);
        return new Tensor(dw, problem.WeightShape);
    }

    /// <summary>Whether the extension reads a constant outside x and the extended domain holds all of x, so that the
    /// input gradient is the extended gradient's part over x.</summary>
    private static bool CoversInput(ConvProblem problem, Geometry s) =>
        problem.Boundary.ReadsConstant
        && Enumerable
            .Range(0, Geometry.Axes)
            .All(a => s.PadBefore[a] >= 0 && s.Extended[a] >= s.PadBefore[a] + s.Input[a]);

    /// <summary>x itself when nothing is padded, else its extended copy (in a workspace array to give back), in runs
    /// of planes.</summary>
    private (Memory<float> Extended, float[]? Rented) ExtendedInput(ConvProblem problem, Geometry s, Tensor x)
    {
        var box = PlaneBox.Forward(s, problem.Boundary);
        if (box.IsInput)
            return (x.Data, null);
        int planes = problem.Batch * problem.InChannels;
        var rented = _workspace.Rent((long)planes * box.Volume);
        ExtendPlanes(box, x, 0, planes, rented);
        return (rented.AsMemory(0, planes * box.Volume), rented);
    }

    /// <summary>Batches of an extended operand in one slice of <see cref="SliceFloats"/> on one thread; all of them on
    /// more, where a slice one core extends is read by the others from its cache (slices measured 1-4% slower on
    /// cnn-b and cnn-f at 2 threads, 2-3% faster on cnn-a, cnn-f and conv1d at 1).</summary>
    private int SliceBatches(int batch, int channels, int volume) =>
        Threads > 1 ? batch : (int)Math.Clamp(SliceFloats / ((long)channels * volume), 1, batch);

    /// <summary>Writes the <paramref name="box"/> of planes first.. first + planes - 1 of <paramref name="source"/> to
    /// <paramref name="destination"/>, from its start, in runs of planes (<see cref="InPlaneRuns"/>).</summary>
    private void ExtendPlanes(PlaneBox box, Tensor source, int first, int planes, float[] destination) =>
        InPlaneRuns(
            box,
            planes,
            (firstPlane, count, input, extended) =>
                Extension.Extend(
                    source.Span.Slice((first + firstPlane) * box.InputVolume, count * box.InputVolume),
                    input,
                    box.Boundary,
                    box.Start,
                    extended,
                    destination.AsSpan(firstPlane * box.Volume, count * box.Volume)
                )
        );

    /// <summary>
    /// Runs <paramref name="body"/>(first plane, planes, their input box, their extended box) on the team for runs of
    /// <paramref name="planes"/> planes. The planes of a 1-D or 2-D problem lie one after another as one box many
    /// planes deep, unpadded in depth, so a run of them is one box: about 16K floats a work item. One plane an item,
    /// cnn-c's 2048 planes of 196 floats cost more to hand out than to extend, and two threads took longer than one.
    /// </summary>
    private void InPlaneRuns(PlaneBox box, int planes, Action<int, int, int[], int[]> body)
    {
        bool flat = box.Input[0] == 1 && box.Size[0] == 1 && box.Start[0] == 0;
        int run = flat ? Math.Max(1, (1 << 14) / box.Volume) : 1;
        _team.Run(
            (planes + run - 1) / run,
            item =>
            {
                int first = item * run,
                    count = Math.Min(run, planes - first);
                body(
                    first,
                    count,
                    [count * box.Input[0], box.Input[1], box.Input[2]],
                    [count * box.Size[0], box.Size[1], box.Size[2]]
                );
            }
        );
    }

    /// <summary>dy spread out by the stride and padded by (k - 1) * d on both sides, as the transposed geometry reads
    /// it, in a workspace array to give back.</summary>
    private float[] Spread(ConvProblem problem, Geometry s, Geometry t, float* dy)
    {
        int planes = problem.Batch * problem.OutChannels;
        var spread = _workspace.Rent((long)planes * t.InputVolume);
        int ov = s.OutputVolume,
            uv = t.InputVolume,
            row = s.Stride[2] == 1 ? s.Output[2] : 1;
        var targets = _workspace.Offsets(s.Output, s.Stride, t.Input);
        int origin =
            ((s.Kernel[0] - 1) * s.Dilation[0] * t.Input[1] + (s.Kernel[1] - 1) * s.Dilation[1]) * t.Input[2]
            + (s.Kernel[2] - 1) * s.Dilation[2];
        _team.Run(
            planes,
            plane =>
            {
                var source = new ReadOnlySpan<float>(dy + (long)plane * ov, ov);
                spread.AsSpan(plane * uv, uv).Clear();
                var destination = spread.AsSpan(plane * uv + origin);
                if (row == 1)
                    for (int o = 0; o < ov; o++)
                        destination[targets[o]] = source[o];
                else
                    // Unit stride on the last axis: rows of dy land whole.
                    for (int o = 0; o < ov; o += row)
                        source.Slice(o, row).CopyTo(destination[targets[o]..]);
            }
        );
        return spread;
    }

    private Unshared.Call UnsharedCall(ConvProblem problem, Geometry s, float* x, float* w, float* y) =>
        new()
        {
            Batch = problem.Batch,
            Groups = problem.Groups,
            InPerGroup = problem.InChannelsPerGroup,
            OutPerGroup = problem.OutChannelsPerGroup,
            PositionOffsets = _workspace.Offsets(s.Output, s.Stride, s.Extended),
            TapOffsets = _workspace.Offsets(s.Kernel, s.Dilation, s.Extended),
            Flip = problem.Flip,
            X = x,
            PlaneVolume = s.ExtendedVolume,
            W = w,
            Y = y,
        };

    /// <summary>Whether every element of <paramref name="t"/> is finite; the team checks parts of 64K floats where
    /// there are several (the weight gradient of cnn-a checks 6.4 MB of dy).</summary>
    private bool AllFinite(Tensor t)
    {
        const int Part = 1 << 16;
        int length = t.Span.Length;
        if (Threads == 1 || length <= Part)
            return AllFinite(t.Span);
        int parts = (length + Part - 1) / Part,
            infinite = 0;
        _team.Run(
            parts,
            i =>
            {
                if (
                    Volatile.Read(ref infinite) == 0
                    && !AllFinite(t.Span.Slice(i * Part, Math.Min(Part, length - i * Part)))
                )
                    Volatile.Write(ref infinite, 1);
            }
        );
        return infinite == 0;
    }

    private static bool AllFinite(ReadOnlySpan<float> span)
    {
        // v - v is 0 for every finite v and NaN for Inf and NaN: one vector compare per vector.
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(span);
        foreach (var v in vectors)
            if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
                return false;
        for (int i = vectors.Length * Vector<float>.Count; i < span.Length; i++)
            if (!float.IsFinite(span[i]))
                return false;
        return true;
    }
}
