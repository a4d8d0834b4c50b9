using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvParity.Cpu;

internal static unsafe class PlaneKernel
{
    private const int TileFloats = 1 << 16,
        SegmentLength = 4096;

    /// <summary>The largest stride along the last axis the plane kernel takes: rows of <see cref="SplitSpan"/>
    /// columns or more are summed at every column and the strided outputs picked, so a stride of 4 costs four times
    /// the sums there (larger ones go to the dense kernel, whose blocks of one channel use one lane in 4 to
    /// 16).</summary>
    private const int MaxStride = 4;

    /// <summary>Rows that span fewer columns than this are summed in one run over their tile, split into phases if
    /// strided; longer strided rows are summed at every column, a run per row. Split, a depthwise 5x5 stride 2 on
    /// 56x56 took 0.76 (AVX-512) and 0.83 (AVX2) of the time, but a 3x3 stride 2 on 112x112 1.09-1.24.</summary>
    private const int SplitSpan = 64;

    /// <summary>At least this many outputs to a work item, where tiles are small.</summary>
    private const int ItemOutputs = 4096;

    /// <summary>Floats of the tiles of one channel's planes stacked in one work item (Stacked).</summary>
    private const int StackFloats = 8192;

    /// <summary>The largest tile of a whole plane that is stacked: a 56x56 plane (3364 floats) ran 3% slower stacked
    /// on AVX-512 and 13-15% slower on AVX2, where its rows go straight into Y.</summary>
    private const int StackedTile = 1024;

    /// <summary>Whether the plane kernel can run a problem shaped so.</summary>
    public static bool Fits(Geometry shape) => shape.Stride[2] <= MaxStride;

    /// <summary>Runs the call on <paramref name="team"/> with vectors of <paramref name="lanes"/> floats (16, 8 or
    /// 4).</summary>
    public static void Run(PlaneCall call, WorkerTeam team, int lanes)
    {
        switch (lanes)
        {
            case 16:
                Run<Simd512, Vector512<float>>(call, team);
                break;
            case 8:
                Run<Simd256, Vector256<float>>(call, team);
                break;
            default:
                Run<Simd128, Vector128<float>>(call, team);
                break;
        }
    }

    /// <summary>The call's kernels in tap order (flip applied), one after another: one copy for the whole
    /// call.</summary>
    public static float[] TapOrder(PlaneCall call)
    {
        int kernelVolume = call.Shape.KernelVolume;
        var kernels = new float[call.Channels * kernelVolume];
        for (int c = 0; c < call.Channels; c++)
        for (int t = 0; t < kernelVolume; t++)
            kernels[c * kernelVolume + t] = call.W[c * kernelVolume + (call.ReverseTaps ? kernelVolume - 1 - t : t)];
        return kernels;
    }

    /// <summary>One output row segment (see the generic Row) with vectors of <paramref name="lanes"/> floats.</summary>
    public static void Row(Geometry s, ReadOnlySpan<int> size, float* x, float* w, float* output, int length, int lanes)
    {
        switch (lanes)
        {
            case 16:
                Row<Simd512, Vector512<float>>(s, size, x, w, output, length);
                break;
            case 8:
                Row<Simd256, Vector256<float>>(s, size, x, w, output, length);
                break;
            default:
                Row<Simd128, Vector128<float>>(s, size, x, w, output, length);
                break;
        }
    }

    private static void Run<TS, TV>(PlaneCall call, WorkerTeam team)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        var s = call.Shape;
        int planes = call.Batch * call.Channels;
        int kernelVolume = s.KernelVolume;
        int reach0 = Reach(s, 0),
            reach1 = Reach(s, 1),
            reach2 = Reach(s, 2);
        int stride1 = s.Stride[1],
            stride2 = s.Stride[2];
        var kernels = TapOrder(call);

        // Tiles: a segment of the last axis by a run of rows of the middle axis, for one index of the first.
        int segment = Math.Min(s.Output[2], SegmentLength);
        int segments = (s.Output[2] + segment - 1) / segment;
        int width = (segment - 1) * stride2 + reach2;
        bool direct = stride2 == 1 && s.Output[2] >= 4 * TS.Lanes;
        int rows = Math.Clamp((TileFloats / width - reach1) / stride1 + 1, 1, s.Output[1]);
        int runs = (s.Output[1] + rows - 1) / rows;
        int sourceVolume = Geometry.Volume(call.SourceSize);
        // Floats past a plain tile and between phases: Split reads and writes whole vectors past a row's end.
        int slack = 4 * TS.Lanes;
        // Long unstrided rows are summed straight into Y, long strided ones at every column into a buffer. Short
        // rows are summed in one run over the whole tile (a 14x14 depthwise plane: one run of 222 sums, where its
        // rows of 14 are shorter than one AVX-512 vector), split into phases if strided (TileLayout).
        fixed (float* k = kernels)
        {
            float* kp = k;
            // Small whole planes with a constant outside: stacked, a run of channels to a work item.
            int planeTile = reach0 * ((s.Output[1] - 1) * stride1 + reach1) * width;
            if (call.Boundary.ReadsConstant && runs == 1 && segments == 1 && planeTile <= StackedTile)
            {
                var one = Layout(s.Output[1], s.Output[2], 1);
                int stack = Math.Clamp(StackFloats / (one.Phases * one.Volume), 1, call.Batch);
                int stacks = (call.Batch + stack - 1) / stack;
                var layout = Layout(s.Output[1], s.Output[2], stack);
                // Several channels to a work item where stacks are small (a 7x7 plane at batch 1: 49 outputs); two
                // threads on runs of 2 channels of 14x14 planes at batch 8 (cnn-g, 256 items) took 1.4 times as long
                // as on runs of 32.
                int run = PerItem(call.Channels, stack * s.Output[1] * s.Output[2], s.Output[0] * stacks, team.Threads);
                int channelRuns = (call.Channels + run - 1) / run;
                team.Run(
                    channelRuns * s.Output[0] * stacks,
                    unit => Stacked(unit, layout, stack, stacks, run, channelRuns)
                );
                return;
            }
            // Tiles of a few hundred outputs (a 14x14 plane) go several to a work item: one item per plane left two
            // threads no faster than one, contending for the team's item counter.
            int tiles = planes * s.Output[0] * runs * segments;
            // cnn-e (1024 tiles of a 56x56 plane) took 0.90 of the time on two threads in items of 64 tiles.
            int perItem = PerItem(tiles, rows * segment, 1, team.Threads);
            team.Run(
                (tiles + perItem - 1) / perItem,
                item =>
                {
                    for (int unit = item * perItem; unit < Math.Min(tiles, (item + 1) * perItem); unit++)
                        Tile(unit);
                }
            );

            // The layout of tiles of count1 x count2 outputs, `stack` of them.
            TileLayout Layout(int count1, int count2, int stack)
            {
                int size1 = (count1 - 1) * stride1 + reach1,
                    size2 = (count2 - 1) * stride2 + reach2;
                int rows1 = (size1 + stride1 - 1) / stride1,
                    width2 = (size2 + stride2 - 1) / stride2;
                int volume = reach0 * rows1 * width2;
                return new(stride1, stride2, size1, size2, reach0, rows1, width2, volume, stack * volume + slack);
            }

            // Up to `stack` batches of a run of channels' planes, a channel (one kernel) at a time: their tiles one
            // after another, one run of sums over all of them, and, once the thread's buffer holds the constant
            // around such tiles, only the input copied in (7x7 planes: the extension was half of the time of a plane).
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            void Stacked(int unit, TileLayout p, int stack, int stacks, int run, int channelRuns)
            {
                int first = unit % stacks * stack;
                unit /= stacks;
                int firstChannel = unit % channelRuns * run;
                int o0 = unit / channelRuns;
                int count = Math.Min(stack, call.Batch - first);
                ReadOnlySpan<int> size = [reach0, p.Size1, p.Size2];
                ReadOnlySpan<int> start =
                [
                    o0 * s.Stride[0] - call.SourcePad[0],
                    -call.SourcePad[1],
                    -call.SourcePad[2],
                ];
                int plain = p.Plain;
                var scratch = Scratch.Current;
                var tile = scratch.Tile(p.Floats, width);
                // Tiles split by 2 along rows go straight into their phases (ExtendSplit, IntoPhases), where the tile
                // then holds the constant; other split tiles are extended in a plane of their own first, which does.
                bool intoPhases = IntoPhases<TS, TV>(p);
                var extended = p.Phases > 1 && !intoPhases ? scratch.Plain(plain + slack) : tile;
                float outside = call.Boundary.OutsideValue;
                var box = (
                    p.Phases,
                    plain,
                    p.Size1,
                    p.Size2,
                    start[0],
                    start[1],
                    start[2],
                    outside,
                    intoPhases,
                    p.Pitch
                );
                int filled = scratch.Box == box ? scratch.Filled : 0;
                int length = (count - 1) * p.Volume + (s.Output[1] - 1) * p.Width + s.Output[2];
                float* sums = scratch.Sums(length);
                fixed (float* x = tile)
                fixed (float* e = extended)
                    for (int channel = firstChannel; channel < Math.Min(call.Channels, firstChannel + run); channel++)
                    {
                        for (int j = 0; j < count; j++)
                        {
                            var source = new ReadOnlySpan<float>(
                                call.Source + ((long)(first + j) * call.Channels + channel) * sourceVolume,
                                sourceVolume
                            );
                            if (intoPhases)
                            {
                                ExtendSplit<TS, TV>(
                                    source,
                                    call.SourceSize,
                                    start,
                                    p,
                                    x + j * p.Volume,
                                    j < filled,
                                    outside
                                );
                                filled = Math.Max(filled, j + 1);
                                continue;
                            }
                            int slot = p.Phases > 1 ? 0 : j;
                            var destination = extended.AsSpan(slot * plain, plain);
                            if (slot < filled)
                                Extension.CopyInside(source, call.SourceSize, start, size, destination);
                            else
                                Extension.Extend(source, call.SourceSize, call.Boundary, start, size, destination);
                            filled = Math.Max(filled, slot + 1);
                            if (p.Phases > 1)
                                Split<TS, TV>(e, p, x + j * p.Volume);
                        }
                        Sum<TS, TV>(s, p, x, kp + channel * kernelVolume, sums, length);
                        for (int j = 0; j < count; j++)
                        {
                            float* y =
                                call.Y
                                + ((long)(first + j) * call.Channels + channel) * s.OutputVolume
                                + (long)o0 * s.Output[1] * s.Output[2];
                            CopyOut<TS, TV>(sums + j * p.Volume, p.Width, y, s.Output[2], s.Output[1], s.Output[2]);
                        }
                    }
                (scratch.Box, scratch.Filled) = (box, filled);
            }

            // Optimised from the first call: a call of 4096 small tiles took 10 ms, not 1.4, until tiering caught up.
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            void Tile(int item)
            {
                int seg = item % segments;
                item /= segments;
                int run = item % runs;
                item /= runs;
                int o0 = item % s.Output[0],
                    plane = item / s.Output[0];
                int o1 = run * rows,
                    count1 = Math.Min(rows, s.Output[1] - o1);
                int o2 = seg * segment,
                    count2 = Math.Min(segment, s.Output[2] - o2);
                var p = Layout(count1, count2, 1);
                ReadOnlySpan<int> size = [reach0, p.Size1, p.Size2];
                int plain = p.Plain;
                // Short rows are summed in one run over the tile, split into phases if strided (a stride-2 plane of
                // 28x28 would sum four times its outputs unsplit); longer strided rows in a run per row, every column.
                int span = (count2 - 1) * stride2 + 1;
                bool whole = !direct && span < SplitSpan;
                var scratch = Scratch.Current;
                var tile = scratch.Tile(p.Floats, width);
                bool intoPhases = whole && call.Boundary.ReadsConstant && IntoPhases<TS, TV>(p);
                var extended = whole && p.Phases > 1 && !intoPhases ? scratch.Plain(plain + slack) : tile;
                scratch.Filled = 0;
                var source = new ReadOnlySpan<float>(call.Source + (long)plane * sourceVolume, sourceVolume);
                ReadOnlySpan<int> start =
                [
                    o0 * s.Stride[0] - call.SourcePad[0],
                    o1 * stride1 - call.SourcePad[1],
                    o2 * stride2 - call.SourcePad[2],
                ];
                fixed (float* x = tile)
                fixed (float* e = extended)
                {
                    if (intoPhases)
                        ExtendSplit<TS, TV>(source, call.SourceSize, start, p, x, false, call.Boundary.OutsideValue);
                    else
                        Extension.Extend(source, call.SourceSize, call.Boundary, start, size, extended);
                    float* w = kp + (plane % call.Channels) * kernelVolume;
                    float* y = call.Y + (long)plane * s.OutputVolume + ((long)o0 * s.Output[1] + o1) * s.Output[2] + o2;
                    if (whole)
                    {
                        if (p.Phases > 1 && !intoPhases)
                            Split<TS, TV>(e, p, x);
                        int length = (count1 - 1) * p.Width + count2;
                        float* sums = scratch.Sums(length);
                        Sum<TS, TV>(s, p, x, w, sums, length);
                        CopyOut<TS, TV>(sums, p.Width, y, s.Output[2], count1, count2);
                        return;
                    }
                    // Every stride1-th row of the unsplit tile: straight into Y, or at every column into the sums and
                    // every stride2-th copied out.
                    float* buffer = direct ? null : scratch.Sums(span);
                    for (int r = 0; r < count1; r++)
                    {
                        float* from = x + (long)r * stride1 * p.Size2,
                            row = y + (long)r * s.Output[2];
                        if (direct)
                            Row<TS, TV>(s, size, from, w, row, count2);
                        else
                        {
                            Row<TS, TV>(s, size, from, w, buffer, span);
                            Pick(buffer, row, count2, stride2);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The layout of tiles in the tile buffer, where their sums run at unit stride: each tile (Size1 x Size2 rows
    /// and columns, Depth deep) split into Stride1 x Stride2 phases, the rows and columns of one remainder modulo the
    /// strides, each phase Depth x Rows x Width. Tile j of a stack starts at j * Volume within each phase; the
    /// phases are Pitch floats apart. Output (r, c) of a tile is then at r * Width + c of its sums, and reads its
    /// taps at fixed offsets from there (Taps). A stride of 1 on both axes is one phase: the plain tile.
    /// </summary>
    private readonly record struct TileLayout(
        int Stride1,
        int Stride2,
        int Size1,
        int Size2,
        int Depth,
        int Rows,
        int Width,
        int Volume,
        int Pitch
    )
    {
        public int Phases => Stride1 * Stride2;

        /// <summary>Floats of the unsplit tile (which the split one never has fewer of).</summary>
        public int Plain => Depth * Size1 * Size2;

        /// <summary>Floats of all the phases.</summary>
        public int Floats => Phases * Pitch;
    }

    /// <summary>Offsets in a tile of layout <paramref name="p"/> of the taps of its output 0, in tap order.</summary>
    private static void Taps(Geometry s, TileLayout p, int* taps)
    {
        int t = 0;
        for (int t0 = 0; t0 < s.Kernel[0]; t0++)
        for (int t1 = 0; t1 < s.Kernel[1]; t1++)
        for (int t2 = 0; t2 < s.Kernel[2]; t2++)
        {
            int a = t1 * s.Dilation[1],
                b = t2 * s.Dilation[2];
            int phase = a % p.Stride1 * p.Stride2 + b % p.Stride2;
            taps[t++] = phase * p.Pitch + (t0 * s.Dilation[0] * p.Rows + a / p.Stride1) * p.Width + b / p.Stride2;
        }
    }

    /// <summary>Sums <paramref name="length"/> outputs of tiles of layout <paramref name="p"/> at
    /// <paramref name="x"/> into <paramref name="sums"/>: a plain tile by rows of taps (the faster loop: 6 to 14%
    /// faster than through a table of offsets, where each tap loads its offset too), a split one through the
    /// offsets of its taps (Taps).</summary>
    private static void Sum<TS, TV>(Geometry s, TileLayout p, float* x, float* w, float* sums, int length)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        if (p.Phases == 1)
        {
            Row<TS, TV>(s, [p.Depth, p.Size1, p.Size2], x, w, sums, length);
            return;
        }
        int volume = s.KernelVolume;
        Span<int> offsets = volume > 1024 ? new int[volume] : stackalloc int[volume];
        fixed (int* taps = offsets)
        {
            Taps(s, p, taps);
            Row<TS, TV>(taps, volume, x, w, sums, length);
        }
    }

    /// <summary>Splits the plain tile <paramref name="plain"/> (Depth x Size1 x Size2, readable a few vectors past
    /// its end) into the phases of <paramref name="p"/> at <paramref name="tile"/>. A phase's rows past the tile's
    /// edge are 0; its columns past the edge hold whatever the reads past a row's end found: only outputs that are
    /// dropped read them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Split<TS, TV>(float* plain, TileLayout p, float* tile)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes;
        for (int i0 = 0; i0 < p.Depth; i0++)
        for (int p1 = 0; p1 < p.Stride1; p1++)
        for (int r = 0; r < p.Rows; r++)
        {
            int row = r * p.Stride1 + p1;
            float* from = plain + ((long)i0 * p.Size1 + row) * p.Size2;
            float* to = tile + (long)p1 * p.Stride2 * p.Pitch + ((long)i0 * p.Rows + r) * p.Width;
            if (row >= p.Size1)
                for (int p2 = 0; p2 < p.Stride2; p2++)
                    new Span<float>(to + (long)p2 * p.Pitch, p.Width).Clear();
            else if (p.Stride2 == 1)
                Extension.Copy(from, to, p.Width);
            else if (p.Stride2 == 2)
                // Whole vectors: the last one runs into the next row, which is written later, or the gap after.
                for (int c = 0; c < p.Width; c += lanes)
                {
                    TS.Unzip(TS.Load(from + 2 * c), TS.Load(from + 2 * c + lanes), out var even, out var odd);
                    TS.Store(even, to + c);
                    TS.Store(odd, to + p.Pitch + c);
                }
            else
                for (int p2 = 0; p2 < p.Stride2; p2++, to += p.Pitch)
                for (int c = 0; c < p.Width; c++)
                    to[c] = from[c * p.Stride2 + p2];
        }
    }

    /// <summary>How many of <paramref name="count"/> units of <paramref name="outputs"/> outputs each go to a work
    /// item, where each run of units makes <paramref name="spread"/> items (split along other axes too): at least
    /// ItemOutputs outputs an item, and no more than about <see cref="WorkerTeam.ItemsPerThread"/> items a thread
    /// where there are plenty.</summary>
    private static int PerItem(int count, int outputs, int spread, int threads) =>
        Math.Clamp(Math.Max(ItemOutputs / outputs, count * spread / (WorkerTeam.ItemsPerThread * threads)), 1, count);

    /// <summary>Whether tiles of layout <paramref name="p"/> extended with a constant go straight from the input into
    /// their phases (ExtendSplit): a column stride of 2, with masked loads and stores in hardware.</summary>
    private static bool IntoPhases<TS, TV>(TileLayout p)
        where TS : struct, ISimd<TV>
        where TV : struct => TS.MasksInHardware && p.Stride2 == 2;

    /// <summary>
    /// Extends a plane of the input (size <paramref name="input"/>, the box at <paramref name="start"/>, a constant
    /// <paramref name="outside"/>) straight into the phases of <paramref name="p"/> at <paramref name="tile"/>, for a
    /// column stride of 2 where masked loads and stores are instructions: each row of input is loaded and its evens
    /// and odds stored in one pass, with masks at the ends, so no load or store leaves the input's row or the
    /// phase's row. The constant is written first unless <paramref name="bordered"/> (the tile already holds this
    /// box's extension of another plane). A stride-2 depthwise layer on 28x28 planes (cnn-h) takes 0.75 of the time
    /// it took to extend each plane into a plane of its own and split that (Split), whose row loop cost more than its
    /// vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExtendSplit<TS, TV>(
        ReadOnlySpan<float> plane,
        ReadOnlySpan<int> input,
        ReadOnlySpan<int> start,
        TileLayout p,
        float* tile,
        bool bordered,
        float outside
    )
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int n0 = input[0],
            n1 = input[1],
            n2 = input[2];
        var (first, last, top, bottom) = Extension.Inside(input, start, p.Size1, p.Size2);
        if (!bordered)
            for (int phase = 0; phase < p.Phases; phase++)
                new Span<float>(tile + (long)phase * p.Pitch, p.Volume).Fill(outside);
        int count = last - first;
        if (count == 0)
            return;
        // A row's input in runs of 2 * Lanes floats, the last one (1 to 2 * Lanes) masked; the masked lanes read as
        // the constant.
        int lanes = TS.Lanes,
            span = 2 * lanes;
        int runs = (count + span - 1) / span,
            tail = count - span * (runs - 1);
        TV firstHalf = TS.Mask(tail),
            secondHalf = TS.Mask(tail - lanes),
            evenTail = TS.Mask((tail + 1) / 2),
            oddTail = TS.Mask(tail / 2),
            constant = TS.Broadcast(outside);
        // Column `first` of the box lands in column phase first % 2, at column first / 2; the next one in the other.
        long evenAt = (first & 1) * p.Pitch + (first >> 1),
            oddAt = ((first + 1) & 1) * p.Pitch + ((first + 1) >> 1);
        long rowStep = (long)p.Stride1 * n2;
        fixed (float* source = plane)
            for (int i0 = 0; i0 < p.Depth; i0++)
            {
                int s0 = start[0] + i0;
                if ((uint)s0 >= (uint)n0)
                    continue;
                // Row phase by row phase: box row e1 is row e1 / Stride1 of row phase e1 % Stride1.
                for (int p1 = 0; p1 < p.Stride1; p1++)
                {
                    int r = top <= p1 ? 0 : (top - p1 + p.Stride1 - 1) / p.Stride1;
                    int e1 = r * p.Stride1 + p1;
                    float* from = source + ((long)s0 * n1 + start[1] + e1) * n2 + start[2] + first;
                    float* to = tile + (long)p1 * 2 * p.Pitch + ((long)i0 * p.Rows + r) * p.Width;
                    for (; e1 < bottom; e1 += p.Stride1, from += rowStep, to += p.Width)
                    {
                        float* f = from,
                            toEven = to + evenAt,
                            toOdd = to + oddAt;
                        TV evens,
                            odds;
                        for (int run = 1; run < runs; run++, f += span, toEven += lanes, toOdd += lanes)
                        {
                            TS.Unzip(TS.Load(f), TS.Load(f + lanes), out evens, out odds);
                            TS.Store(evens, toEven);
                            TS.Store(odds, toOdd);
                        }
                        var a = TS.MaskLoad(f, firstHalf, constant);
                        var b = TS.MaskLoad(f + lanes, secondHalf, constant);
                        TS.Unzip(a, b, out evens, out odds);
                        TS.MaskStore(toEven, evenTail, evens);
                        TS.MaskStore(toOdd, oddTail, odds);
                    }
                }
            }
    }

    /// <summary>Copies <paramref name="rows"/> rows of <paramref name="columns"/> sums, <paramref name="pitch"/> floats
    /// apart from <paramref name="from"/>, to rows <paramref name="yPitch"/> apart from <paramref name="to"/>: a row of
    /// at most one vector by one masked load and store where those are instructions (a depthwise layer of 14x14
    /// planes, cnn-g, took 0.88-0.90 of the time it took with two overlapping copies a row), others by
    /// Extension.Copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyOut<TS, TV>(float* from, int pitch, float* to, long yPitch, int rows, int columns)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        if (TS.MasksInHardware && columns <= TS.Lanes)
        {
            var mask = TS.Mask(columns);
            for (int r = 0; r < rows; r++, from += pitch, to += yPitch)
                TS.MaskStore(to, mask, TS.MaskLoad(from, mask, TS.Zero));
            return;
        }
        for (int r = 0; r < rows; r++, from += pitch, to += yPitch)
            Extension.Copy(from, to, columns);
    }

    /// <summary>Every <paramref name="stride"/>-th of the sums from <paramref name="from"/>, <paramref name="count"/>
    /// of them, to <paramref name="row"/>.</summary>
    private static void Pick(float* from, float* row, int count, int stride)
    {
        for (int c = 0; c < count; c++)
            row[c] = from[c * stride];
    }

    private static int Reach(Geometry s, int axis) => (s.Kernel[axis] - 1) * s.Dilation[axis] + 1;

    /// <summary>A thread's buffers, reached by one thread-static lookup a work item (four lookups a 7x7 plane cost
    /// 3% of its time in __tls_get_addr).</summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? _current;

        private float[]? _tile,
            _plain,
            _sums;

        /// <summary>The calling thread's buffers.</summary>
        public static Scratch Current => _current ??= new();

        /// <summary>The box and constant whose extension the first <see cref="Filled"/> stacked tiles of the tile
        /// buffer (of the plain buffer, for split tiles that do not go straight into their phases) hold around their
        /// input (Stacked); any other use of the buffers sets the count to 0.</summary>
        public (
            int Phases,
            int Volume,
            int Size1,
            int Size2,
            int Start0,
            int Start1,
            int Start2,
            float Outside,
            bool IntoPhases,
            int Pitch
        ) Box;

        public int Filled;

        /// <summary>The tile buffer, at least <paramref name="floats"/> long (a new one holds no stacked
        /// tiles).</summary>
        public float[] Tile(int floats, int width)
        {
            if (_tile is { } held && held.Length >= floats)
                return held;
            Filled = 0;
            return _tile = GC.AllocateUninitializedArray<float>(
                Math.Max(floats, TileFloats + 64 * width),
                pinned: true
            );
        }

        /// <summary>The buffer for a tile extended before it is split into phases, at least <paramref name="floats"/>
        /// long (a new one holds no extension).</summary>
        public float[] Plain(int floats)
        {
            if (_plain is { } held && held.Length >= floats)
                return held;
            Filled = 0;
            return _plain = GC.AllocateUninitializedArray<float>(Math.Max(floats, 4096), pinned: true);
        }

        /// <summary>The buffer of sums, at least <paramref name="length"/> floats, pinned.</summary>
        public float* Sums(int length)
        {
            var sums =
                _sums is { } held && held.Length >= length
                    ? held
                    : _sums = GC.AllocateUninitializedArray<float>(Math.Max(length, 4096), pinned: true);
            return (float*)Unsafe.AsPointer(ref sums[0]);
        }
    }

    /// <summary>One output row segment of <paramref name="length"/> from a tile of <paramref name="size"/> whose row 0
    /// it starts at.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TS, TV>(Geometry s, ReadOnlySpan<int> size, float* x, float* w, float* output, int length)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes;
        int k0 = s.Kernel[0],
            k1 = s.Kernel[1],
            k2 = s.Kernel[2];
        long step0 = (long)s.Dilation[0] * size[1] * size[2],
            step1 = (long)s.Dilation[1] * size[2];
        int d2 = s.Dilation[2];
        // Blocks of four vectors; the last one is moved back to end at the row's end, recomputing a few
        // outputs to the same values rather than finishing with slow single vectors.
        int o = 0;
        for (int block = 4 * lanes; length >= block; o += block)
        {
            o = Math.Min(o, length - block); // the same outputs get the same values: overlap is harmless
            TV a0 = TS.Zero,
                a1 = TS.Zero,
                a2 = TS.Zero,
                a3 = TS.Zero;
            float* wt = w;
            for (int t0 = 0; t0 < k0; t0++)
            for (int t1 = 0; t1 < k1; t1++)
            {
                float* xr = x + t0 * step0 + t1 * step1 + o;
                for (int t2 = 0; t2 < k2; t2++, wt++, xr += d2)
                {
                    TV v = TS.Broadcast(*wt);
                    a0 = TS.MultiplyAdd(TS.Load(xr), v, a0);
                    a1 = TS.MultiplyAdd(TS.Load(xr + lanes), v, a1);
                    a2 = TS.MultiplyAdd(TS.Load(xr + 2 * lanes), v, a2);
                    a3 = TS.MultiplyAdd(TS.Load(xr + 3 * lanes), v, a3);
                }
            }
            TS.Store(a0, output + o);
            TS.Store(a1, output + o + lanes);
            TS.Store(a2, output + o + 2 * lanes);
            TS.Store(a3, output + o + 3 * lanes);
            if (o + block == length)
                return;
        }
        // Rows too short for that: pairs of vectors (two independent sums), then single vectors, the last one moved
        // back in the same way (a row of 56 on 16 lanes is two pairs, not 3 vectors and 8 scalar outputs).
        for (int block = 2 * lanes; o < length && length >= block; o += block)
        {
            o = Math.Min(o, length - block);
            TV a0 = TS.Zero,
                a1 = TS.Zero;
            float* wt = w;
            for (int t0 = 0; t0 < k0; t0++)
            for (int t1 = 0; t1 < k1; t1++)
            {
                float* xr = x + t0 * step0 + t1 * step1 + o;
                for (int t2 = 0; t2 < k2; t2++, wt++, xr += d2)
                {
                    TV v = TS.Broadcast(*wt);
                    a0 = TS.MultiplyAdd(TS.Load(xr), v, a0);
                    a1 = TS.MultiplyAdd(TS.Load(xr + lanes), v, a1);
                }
            }
            TS.Store(a0, output + o);
            TS.Store(a1, output + o + lanes);
        }
        for (; o < length && length >= lanes; o += lanes)
        {
            o = Math.Min(o, length - lanes);
            TV a0 = TS.Zero;
            float* wt = w;
            for (int t0 = 0; t0 < k0; t0++)
            for (int t1 = 0; t1 < k1; t1++)
            {
                float* xr = x + t0 * step0 + t1 * step1 + o;
                for (int t2 = 0; t2 < k2; t2++, wt++, xr += d2)
                    a0 = TS.MultiplyAdd(TS.Load(xr), TS.Broadcast(*wt), a0);
            }
            TS.Store(a0, output + o);
        }
        for (; o < length; o++)
        {
            float sum = 0;
            float* wt = w;
            for (int t0 = 0; t0 < k0; t0++)
            for (int t1 = 0; t1 < k1; t1++)
            {
                float* xr = x + t0 * step0 + t1 * step1 + o;
                for (int t2 = 0; t2 < k2; t2++, wt++, xr += d2)
                    sum += *wt * *xr;
            }
            output[o] = sum;
        }
    }

    /// <summary>Sums <paramref name="length"/> outputs from <paramref name="x"/> on: output o is the sum over taps t
    /// of w[t] * x[o + taps[t]].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TS, TV>(int* taps, int count, float* x, float* w, float* output, int length)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes;
        // Blocks of four vectors; the last one is moved back to end at the row's end, recomputing a few
        // outputs to the same values rather than finishing with slow single vectors.
        int o = 0;
        for (int block = 4 * lanes; length >= block; o += block)
        {
            o = Math.Min(o, length - block); // the same outputs get the same values: overlap is harmless
            TV a0 = TS.Zero,
                a1 = TS.Zero,
                a2 = TS.Zero,
                a3 = TS.Zero;
            for (int t = 0; t < count; t++)
            {
                float* xr = x + taps[t] + o;
                TV v = TS.Broadcast(w[t]);
                a0 = TS.MultiplyAdd(TS.Load(xr), v, a0);
                a1 = TS.MultiplyAdd(TS.Load(xr + lanes), v, a1);
                a2 = TS.MultiplyAdd(TS.Load(xr + 2 * lanes), v, a2);
                a3 = TS.MultiplyAdd(TS.Load(xr + 3 * lanes), v, a3);
            }
            TS.Store(a0, output + o);
            TS.Store(a1, output + o + lanes);
            TS.Store(a2, output + o + 2 * lanes);
            TS.Store(a3, output + o + 3 * lanes);
            if (o + block == length)
                return;
        }
        // Rows too short for that: pairs of vectors (two independent sums), then single vectors, the last one moved
        // back in the same way (a row of 56 on 16 lanes is two pairs, not 3 vectors and 8 scalar outputs).
        for (int block = 2 * lanes; o < length && length >= block; o += block)
        {
            o = Math.Min(o, length - block);
            TV a0 = TS.Zero,
                a1 = TS.Zero;
            for (int t = 0; t < count; t++)
            {
                float* xr = x + taps[t] + o;
                TV v = TS.Broadcast(w[t]);
                a0 = TS.MultiplyAdd(TS.Load(xr), v, a0);
                a1 = TS.MultiplyAdd(TS.Load(xr + lanes), v, a1);
            }
            TS.Store(a0, output + o);
            TS.Store(a1, output + o + lanes);
        }
        for (; o < length && length >= lanes; o += lanes)
        {
            o = Math.Min(o, length - lanes);
            TV a0 = TS.Zero;
            for (int t = 0; t < count; t++)
                a0 = TS.MultiplyAdd(TS.Load(x + taps[t] + o), TS.Broadcast(w[t]), a0);
            TS.Store(a0, output + o);
        }
        for (; o < length; o++)
        {
            float sum = 0;
            for (int t = 0; t < count; t++)
                sum += w[t] * x[taps[t] + o];
            output[o] = sum;
        }
    }
}
