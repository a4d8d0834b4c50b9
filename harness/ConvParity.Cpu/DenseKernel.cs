using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvParity.Cpu;

/// <summary>
/// The dense microkernel: a block of 2 vectors of output channels by 6 output positions lives in 12
/// vector registers while the inner loop runs over input channels and taps, with the weights packed so
/// each step loads two vectors and broadcasts six input values (12 multiply-adds). With AVX-512's 32
/// registers, blocks of 2 vectors by 12 positions (24 multiply-adds for 2 loads and 12 broadcasts: half the weights
/// a multiply-add of 4 vectors by 6 positions, which ran 2-5% slower), or by 14 positions where each block is a
/// stretch of X; with at most one vector of channels, 1 vector by 8 positions, so that a group of 16 channels does
/// not run half its lanes on zeros. Works on any group width; channels past the group's end are zero lanes that are
/// computed and not stored. On AVX-512 with at most one vector of channels and rows a whole number of vectors, row
/// blocks instead: 4 channels by 4 vectors of positions (RunRows). Where X is zero padding (<see cref="ZeroAxis"/>),
/// a block leaves out the rows of taps that read only zeros, and a block of 14 that is a whole row padded at both
/// ends the first and last taps of its ends: with 3x3 taps padded by 1 on 14x14 (cnn-c), every term that reads
/// padding, 9.3% of them.
/// </summary>
internal static unsafe class DenseKernel
{
    /// <summary>Floats of one work item's partial sums (48 KB): they stay in cache between step slices.</summary>
    private const int TileFloats = 12288;

    /// <summary>Floats of the partial sums of a work item whose packed weights stream from past the L2 cache
    /// (96 KB, in L2): the longer its run, the fewer times a call streams them.</summary>
    private const int StreamedTileFloats = 24576;

    /// <summary>At most this many position blocks in one work item's run.</summary>
    private const int RunBlocks = 64;

    /// <summary>The L2 cache of the machines measured (2 MB a core): a channel block's packed weights larger than it
    /// come from past it each time a work item reads them, and so does a Y larger than it.</summary>
    private const long L2Bytes = 2 << 20;

    /// <summary>Positions of each output channel that a work item writes to Y at a time where Y does not stay in
    /// cache: groups of 4 blocks of 12 took 1-5% less time on cnn-b at one thread than groups of 2 or 8, and the
    /// same at two.</summary>
    private const int ScatteredPositions = 48;

    /// <summary>Bytes of packed weights, of one or more channel blocks, that one thread keeps in its L2 cache over a
    /// run of batches, beside a batch's X: cnn-c's 4 blocks of 295 KB took 1.5-4% less time than one block at a time,
    /// 2-5% less than 2 blocks, and 8 (2.4 MB) 2% more.</summary>
    private const long KeptWeightBytes = 5 * L2Bytes / 8;

    /// <summary>Vectors of output channels in a register block: 2, or 1 for groups of at most one vector of
    /// channels.</summary>
    private static int Vectors(DenseCall call, int lanes) => call.OutPerGroup <= lanes ? 1 : 2;

    /// <summary>Output positions in a register block of <paramref name="vectors"/> vectors of
    /// <paramref name="lanes"/> floats: 12 by 2 vectors in AVX-512's 32 registers, or 14 where every block is a
    /// stretch of X (output rows a multiple of 14 wide, as in 14x14, 28x28, 56x56, or long 1-D rows); 6 in AVX2's 16;
    /// 8 by one vector.</summary>
    private static int BlockPositions(DenseCall call, int vectors, int lanes) =>
        vectors == 1 ? 8
        : lanes != 16 ? 6
        : InRuns(call.PositionOffsets, 14) ? 14
        : 12;

    /// <summary>Whether every whole block of <paramref name="block"/> positions is one contiguous stretch of X and a
    /// last, partial one holds fewer than <paramref name="block"/> - 1 (which Block12 or Block take).</summary>
    private static bool InRuns(int[] offsets, int block)
    {
        if (offsets.Length % block == block - 1)
            return false;
        for (int p = 0; p + block <= offsets.Length; p += block)
        for (int i = 1; i < block; i++)
            if (offsets[p + i] != offsets[p] + i)
                return false;
        return true;
    }

    /// <summary>The least share of rows of taps that blocks leave out for which the steps run row by row: leaving out
    /// 0.6% (cnn-b's, 7 rows) took 2-3.5% longer than running every step channel by channel, 1.2% (cnn-a's) 1.4%
    /// longer with AVX2 and 1% shorter with AVX-512; 4.8% (cnn-c's) 3% shorter.</summary>
    private const double MinRowsLeftOut = 0.02;

    /// <summary>Output channels of a row block, each broadcast from the packed weights.</summary>
    private const int RowChannels = 4;

    /// <summary>Vectors of output positions in a row block (16 accumulators with 4 channels).</summary>
    private const int RowVectors = 4;

    /// <summary>Floats of packed weights for blocks of <paramref name="width"/> output channels.</summary>
    private static long PackedLength(DenseCall call, int width) =>
        (long)call.Groups * OutBlocks(call, width) * width * call.InPerGroup * call.Taps;

    /// <summary>
    /// Whether the row blocks apply: AVX-512, at most one vector of output channels per group (where the
    /// channel blocks broadcast once per multiply-add), positions stored forward, and every vector of
    /// positions one contiguous stretch of X and of Y (unit stride along rows a whole number of vectors).
    /// </summary>
    private static bool RowsFit(DenseCall call, int lanes)
    {
        if (lanes != 16 || call.OutPerGroup > lanes || call.ReversePositions || call.Positions % lanes != 0)
            return false;
        int[] offsets = call.PositionOffsets;
        for (int p = 0; p < offsets.Length; p += lanes)
        for (int i = 1; i < lanes; i++)
            if (offsets[p + i] != offsets[p] + i)
                return false;
        return true;
    }

    /// <summary>Runs the call on <paramref name="team"/> with vectors of <paramref name="lanes"/> floats (16, 8 or
    /// 4), packing the weights into an array of <paramref name="workspace"/>.</summary>
    public static void Run(DenseCall call, WorkerTeam team, Workspace workspace, int lanes)
    {
        if (RowsFit(call, lanes))
        {
            using var rowPacked = workspace.Lease(PackedLength(call, RowChannels));
            var byChannel = StepOrder.ByChannel(call.InPerGroup, call.Taps);
            RunRows<Simd512, Vector512<float>>(
                call,
                team,
                rowPacked.Array,
                byChannel,
                Steps(call, workspace, byChannel)
            );
            return;
        }
        int vectors = Vectors(call, lanes),
            width = vectors * lanes,
            blockPositions = BlockPositions(call, vectors, lanes);
        // Steps run in slices whose packed weights fit the L1 cache (16 KB), each over a whole run of position blocks.
        int slice = Math.Max(1, 16384 / (width * sizeof(float)));
        var order =
            call.ZeroRows is { } zeros
            && call.Taps <= slice
            && zeros.LeftOut(call.Positions, blockPositions) >= MinRowsLeftOut
                ? new StepOrder(call.InPerGroup, call.Taps, zeros.Taps, slice / call.Taps)
                : StepOrder.ByChannel(call.InPerGroup, call.Taps);
        using var packed = workspace.Lease(PackedLength(call, width));
        var steps = Steps(call, workspace, order);
        int sliceSteps = order.Rows > 1 ? order.SliceSteps : slice;
        switch (lanes)
        {
            case 16:
                Run<Simd512, Vector512<float>>(call, team, packed.Array, order, steps, blockPositions, sliceSteps);
                break;
            case 8:
                Run<Simd256, Vector256<float>>(call, team, packed.Array, order, steps, blockPositions, sliceSteps);
                break;
            default:
                Run<Simd128, Vector128<float>>(call, team, packed.Array, order, steps, blockPositions, sliceSteps);
                break;
        }
    }

    /// <summary>One step per (input channel, tap) in <paramref name="order"/>: its offset from the group's X
    /// base.</summary>
    private static nint[] Steps(DenseCall call, Workspace workspace, StepOrder order) =>
        workspace.Steps(order, call.XChannel, call.TapOffsets);

    private static int OutBlocks(DenseCall call, int width) => (call.OutPerGroup + width - 1) / width;

    /// <summary>Runs the call in register blocks of <paramref name="blockPositions"/> positions, over slices of
    /// <paramref name="sliceSteps"/> steps; where <paramref name="order"/> has rows of taps, each block runs the rows
    /// its positions read inside the data (<see cref="ZeroAxis.Kept"/>).</summary>
    private static void Run<TS, TV>(
        DenseCall call,
        WorkerTeam team,
        float[] packed,
        StepOrder order,
        nint[] steps,
        int blockPositions,
        int sliceSteps
    )
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes,
            vectors = Vectors(call, lanes),
            width = vectors * lanes;
        int outBlocks = OutBlocks(call, width);
        // Every work item reads its channel block's packed weights whole: where they do not stay in the L2 cache (the
        // weight gradient of cnn-a streams 3.2 MB of dy a block), items run as long as a larger tile holds, not about
        // ItemsPerThread a thread (gradw-a: 48 blocks in one run a channel block, not two).
        long blockBytes = (long)steps.Length * width * sizeof(float);
        bool streamed = blockBytes > L2Bytes;
        int tileFloats = streamed ? StreamedTileFloats : TileFloats;
        int runBlocks = Math.Min(RunBlocks, tileFloats / (blockPositions * width));
        int perThread = streamed ? 1 : WorkerTeam.ItemsPerThread;
        int together = team.Threads == 1 ? BlocksTogether(outBlocks, blockBytes) : 1;
        var zeros = order.Rows > 1 ? call.ZeroRows : null;
        // Where Y does not stay in cache, each group of blocks of ScatteredPositions positions goes to Y as soon as it
        // is done, so its writes to memory overlap the next blocks' arithmetic (cnn-b, 26 MB of Y: 5-9% less time).
        // Elsewhere the whole run goes at once: each output channel gets one stretch of positions, not a few floats a
        // group (cnn-c, 1.6 MB: 1-2% more time in groups).
        int scatterGroup =
            (long)call.Batch * call.YBatch * sizeof(float) > L2Bytes
                ? (ScatteredPositions + blockPositions - 1) / blockPositions
                : 0;
        // With the steps row by row in rows of 3 taps (3x3), blocks of 14 run a row at a time (Block14Rows), and those
        // whose end positions read zero padding at a row's first and last tap leave those out.
        bool rowsOfThree = zeros is not null && blockPositions == 14 && order.RowTaps == 3;
        var columns = rowsOfThree && call.ZeroColumns is { Taps: 3 } c ? c : null;
        fixed (float* wp = packed)
        {
            float* pw = wp;
            PackAll(call, team, pw, width, order);

            int positionBlocks = (call.Positions + blockPositions - 1) / blockPositions;
            fixed (int* positions = call.PositionOffsets)
            fixed (nint* stepOffsets = steps)
            {
                int* pp = positions;
                nint* ps = stepOffsets;
                int stepCount = steps.Length;
                ForEachSlice(
                    call,
                    (firstBatch, batches) =>
                    {
                        // Work items: (channel block, group, batch, run of position blocks), enough for every thread.
                        int outer = batches * call.Groups * outBlocks;
                        int chunks = Chunks(outer, positionBlocks, runBlocks, team.Threads, perThread);
                        int perChunk = (positionBlocks + chunks - 1) / chunks;
                        // A channel block's packed weights (cnn-c: 295 KB) stay in cache over its batches and runs,
                        // where a batch's X (256 KB) is the smaller to read again. On one thread a batch's runs go
                        // back to back, then the runs of the next of `together` channel blocks, which read that
                        // batch's X from cache too, and only then the next batch. On more, neighbouring items, which
                        // run at once, take different batches: runs of the same batch write the same rows of Y and
                        // would share the cache line where they meet.
                        bool runsInnermost = team.Threads == 1;
                        team.Run(
                            outer * chunks,
                            item =>
                            {
                                int chunk,
                                    b,
                                    g,
                                    kb;
                                if (runsInnermost)
                                {
                                    int rest = item / chunks,
                                        kbi = rest % together;
                                    rest /= together;
                                    (chunk, b, rest) = (item % chunks, rest % batches, rest / batches);
                                    (g, kb) = (rest % call.Groups, rest / call.Groups * together + kbi);
                                }
                                else
                                {
                                    int rest = item / chunks / batches;
                                    (chunk, b) = (item / batches % chunks, item % batches);
                                    (g, kb) = (rest % call.Groups, rest / call.Groups);
                                }
                                int firstBlock = chunk * perChunk,
                                    endBlock = Math.Min(positionBlocks, firstBlock + perChunk);
                                // After the last slice, each group of blocks (or the whole run) goes to Y.
                                int group = scatterGroup > 0 ? scatterGroup : endBlock - firstBlock;
                                float* tiles = stackalloc float[tileFloats];
                                // Each block's rows of taps: all, or those its positions read inside the data.
                                int* firstRow = stackalloc int[RunBlocks],
                                    rows = stackalloc int[RunBlocks];
                                var paddedEnds = stackalloc bool[RunBlocks];
                                for (int i = 0; i < endBlock - firstBlock; i++)
                                {
                                    int p = (firstBlock + i) * blockPositions,
                                        last = Math.Min(call.Positions, p + blockPositions) - 1;
                                    var (from, end) = zeros?.Kept(p, last) ?? (0, order.Rows);
                                    (firstRow[i], rows[i]) = (from, end - from);
                                    paddedEnds[i] =
                                        columns is not null
                                        && columns.Kept(p, p).First > 0
                                        && columns.Kept(last, last).End < columns.Taps;
                                }
                                float* x = call.X + b * call.XBatch + g * call.XGroup;
                                float* w = pw + (long)(g * outBlocks + kb) * stepCount * width;
                                for (int first = 0; first < stepCount; first += sliceSteps)
                                {
                                    int count = Math.Min(sliceSteps, stepCount - first),
                                        rowSteps = count / order.Rows;
                                    for (int block = firstBlock; block < endBlock; block++)
                                    {
                                        int i = block - firstBlock,
                                            from = first + firstRow[i] * rowSteps;
                                        float* ws = w + (long)from * width,
                                            tile = tiles + i * blockPositions * width;
                                        int p = block * blockPositions;
                                        RegisterBlock<TS, TV>(
                                            vectors,
                                            blockPositions,
                                            x,
                                            ws,
                                            ps + from,
                                            rows[i] * rowSteps,
                                            pp,
                                            call.Positions,
                                            p,
                                            tile,
                                            first > 0,
                                            rowsOfThree,
                                            paddedEnds[i]
                                        );
                                        if (
                                            first + count == stepCount
                                            && ((i + 1) % group == 0 || block == endBlock - 1)
                                        )
                                        {
                                            int groupFirst = i / group * group;
                                            Scatter(
                                                call,
                                                tiles + groupFirst * blockPositions * width,
                                                firstBatch + b,
                                                g,
                                                kb,
                                                (firstBlock + groupFirst) * blockPositions,
                                                (i + 1 - groupFirst) * blockPositions,
                                                width
                                            );
                                        }
                                    }
                                }
                            }
                        );
                    }
                );
            }
        }
    }

    /// <summary>How many of <paramref name="outBlocks"/> channel blocks of <paramref name="blockBytes"/> packed
    /// weights each run one after another over a batch on one thread: the most that divides the blocks and fits
    /// <see cref="KeptWeightBytes"/>, at least 1.</summary>
    private static int BlocksTogether(int outBlocks, long blockBytes)
    {
        int together = (int)Math.Clamp(KeptWeightBytes / Math.Max(blockBytes, 1), 1, outBlocks);
        while (outBlocks % together != 0)
            together--;
        return together;
    }

    /// <summary>Calls <paramref name="body"/>(first batch, batches) once for all of the call's batches, or, where X
    /// holds a slice of them at a time, for each slice once it is written; the batches' X starts at X.</summary>
    private static void ForEachSlice(DenseCall call, Action<int, int> body)
    {
        if (call.FillSlice is null)
        {
            body(0, call.Batch);
            return;
        }
        for (int first = 0; first < call.Batch; first += call.SliceBatches)
        {
            int batches = Math.Min(call.SliceBatches, call.Batch - first);
            call.FillSlice(first, batches);
            body(first, batches);
        }
    }

    /// <summary>How many runs of <paramref name="blocks"/> position blocks each of <paramref name="outer"/> items
    /// splits into: about <paramref name="perThread"/> work items per thread, runs of at most
    /// <paramref name="longest"/> blocks, and, where the blocks allow, a count of items that shares out evenly over
    /// the threads (one batch of cnn-a alone made 17 items for two threads).</summary>
    private static int Chunks(
        int outer,
        int blocks,
        int longest,
        int threads,
        int perThread = WorkerTeam.ItemsPerThread
    )
    {
        int chunks = Math.Clamp(perThread * threads / Math.Max(outer, 1), 1, blocks);
        chunks = Math.Max(chunks, (blocks + longest - 1) / longest);
        while (outer * chunks % threads != 0 && chunks < blocks)
            chunks++;
        return chunks;
    }

    /// <summary>Packs every block of <paramref name="width"/> output channels into <paramref name="pw"/>.</summary>
    private static void PackAll(DenseCall call, WorkerTeam team, float* pw, int width, StepOrder order)
    {
        int outBlocks = OutBlocks(call, width);
        // Packing is a transpose that reads every weight: in parallel, runs of input channels of a block
        // (the weight gradient packs one block of many steps, which would otherwise run on one thread).
        int packRun = Math.Max(1, 16384 / Math.Max(call.Taps * width, 1)),
            packRuns = (call.InPerGroup + packRun - 1) / packRun;
        team.Run(
            call.Groups * outBlocks * packRuns,
            i =>
            {
                int run = i % packRuns,
                    block = i / packRuns;
                int first = run * packRun;
                Pack(
                    call,
                    pw,
                    block / outBlocks,
                    block % outBlocks,
                    width,
                    first,
                    Math.Min(packRun, call.InPerGroup - first),
                    order
                );
            }
        );
    }

    /// <summary>
    /// The row path: each step loads vectors of neighbouring positions of X and broadcasts one weight per
    /// output channel (16 multiply-adds for 4 loads and 4 broadcasts, where the 1-vector channel block
    /// broadcasts once per multiply-add), and the sums are stored straight into Y's rows.
    /// </summary>
    private static void RunRows<TS, TV>(DenseCall call, WorkerTeam team, float[] packed, StepOrder order, nint[] steps)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes;
        int outBlocks = OutBlocks(call, RowChannels);
        int vectorCount = call.Positions / lanes;
        int blocks = (vectorCount + RowVectors - 1) / RowVectors;
        fixed (float* wp = packed)
        fixed (int* positions = call.PositionOffsets)
        fixed (nint* stepOffsets = steps)
        {
            float* pw = wp;
            PackAll(call, team, pw, RowChannels, order);
            int* pp = positions;
            nint* ps = stepOffsets;
            int stepCount = steps.Length;
            ForEachSlice(
                call,
                (firstBatch, batches) =>
                {
                    // Work items: (batch, group, run of row blocks), enough for every thread; every channel block of
                    // a row block runs in turn while its X is in cache.
                    int outer = batches * call.Groups;
                    int chunks = Chunks(outer, blocks, blocks, team.Threads);
                    int perChunk = (blocks + chunks - 1) / chunks;
                    team.Run(
                        outer * chunks,
                        item =>
                        {
                            int chunk = item % chunks,
                                rest = item / chunks;
                            int g = rest % call.Groups,
                                b = rest / call.Groups;
                            float* x = call.X + b * call.XBatch + g * call.XGroup;
                            float* y = call.Y + (firstBatch + b) * call.YBatch + g * call.YGroup;
                            float* w = pw + (long)g * outBlocks * stepCount * RowChannels;
                            int endBlock = Math.Min(blocks, (chunk + 1) * perChunk);
                            for (int block = chunk * perChunk; block < endBlock; block++)
                            for (int kb = 0; kb < outBlocks; kb++)
                                RowBlock<TS, TV>(
                                    x,
                                    w + (long)kb * stepCount * RowChannels,
                                    ps,
                                    stepCount,
                                    pp,
                                    vectorCount,
                                    block * RowVectors,
                                    y + kb * RowChannels * call.YOut,
                                    call.YOut,
                                    Math.Min(RowChannels, call.OutPerGroup - kb * RowChannels)
                                );
                        }
                    );
                }
            );
        }
    }

    /// <summary>
    /// 4 output channels by 4 vectors of positions from vector <paramref name="first"/>, over all
    /// <paramref name="count"/> steps, stored to Y. No calls inside, so the accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowBlock<TS, TV>(
        float* x,
        float* w,
        nint* steps,
        int count,
        int* positionOffsets,
        int vectors,
        int first,
        float* y,
        long yOut,
        int channels
    )
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes;
        int last = vectors - 1;
        // Vectors past the end repeat the last one: computed, never stored.
        float* x0 = x + positionOffsets[first * lanes];
        float* x1 = x + positionOffsets[Math.Min(first + 1, last) * lanes];
        float* x2 = x + positionOffsets[Math.Min(first + 2, last) * lanes];
        float* x3 = x + positionOffsets[Math.Min(first + 3, last) * lanes];
        TV a00 = TS.Zero,
            a01 = TS.Zero,
            a02 = TS.Zero,
            a03 = TS.Zero,
            a10 = TS.Zero,
            a11 = TS.Zero,
            a12 = TS.Zero,
            a13 = TS.Zero,
            a20 = TS.Zero,
            a21 = TS.Zero,
            a22 = TS.Zero,
            a23 = TS.Zero,
            a30 = TS.Zero,
            a31 = TS.Zero,
            a32 = TS.Zero,
            a33 = TS.Zero;
        nint* step = steps,
            end = steps + count;
        for (; step < end; step++, w += RowChannels)
        {
            nint o = *step;
            TV v0 = TS.Load(x0 + o),
                v1 = TS.Load(x1 + o),
                v2 = TS.Load(x2 + o),
                v3 = TS.Load(x3 + o);
            TV c = TS.Broadcast(w[0]);
            a00 = TS.MultiplyAdd(c, v0, a00);
            a01 = TS.MultiplyAdd(c, v1, a01);
            a02 = TS.MultiplyAdd(c, v2, a02);
            a03 = TS.MultiplyAdd(c, v3, a03);
            c = TS.Broadcast(w[1]);
            a10 = TS.MultiplyAdd(c, v0, a10);
            a11 = TS.MultiplyAdd(c, v1, a11);
            a12 = TS.MultiplyAdd(c, v2, a12);
            a13 = TS.MultiplyAdd(c, v3, a13);
            c = TS.Broadcast(w[2]);
            a20 = TS.MultiplyAdd(c, v0, a20);
            a21 = TS.MultiplyAdd(c, v1, a21);
            a22 = TS.MultiplyAdd(c, v2, a22);
            a23 = TS.MultiplyAdd(c, v3, a23);
            c = TS.Broadcast(w[3]);
            a30 = TS.MultiplyAdd(c, v0, a30);
            a31 = TS.MultiplyAdd(c, v1, a31);
            a32 = TS.MultiplyAdd(c, v2, a32);
            a33 = TS.MultiplyAdd(c, v3, a33);
        }
        int stored = Math.Min(RowVectors, vectors - first);
        float* row = y + first * lanes;
        StoreRow<TS, TV>(a00, a01, a02, a03, row, stored, lanes);
        if (channels > 1)
            StoreRow<TS, TV>(a10, a11, a12, a13, row + yOut, stored, lanes);
        if (channels > 2)
            StoreRow<TS, TV>(a20, a21, a22, a23, row + 2 * yOut, stored, lanes);
        if (channels > 3)
            StoreRow<TS, TV>(a30, a31, a32, a33, row + 3 * yOut, stored, lanes);
    }

    /// <summary>Stores the first <paramref name="stored"/> of four vectors of one output channel's row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TS, TV>(TV a0, TV a1, TV a2, TV a3, float* row, int stored, int lanes)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        TS.Store(a0, row);
        if (stored > 1)
            TS.Store(a1, row + lanes);
        if (stored > 2)
            TS.Store(a2, row + 2 * lanes);
        if (stored > 3)
            TS.Store(a3, row + 3 * lanes);
    }

    /// <summary>packed[g][kb][step][lane]: W(g, kb * width + lane, c, t) at step (c, t) of <paramref name="order"/>,
    /// zero past the group's channels, for the <paramref name="count"/> input channels from
    /// <paramref name="firstChannel"/>.</summary>
    private static void Pack(
        DenseCall call,
        float* packed,
        int g,
        int kb,
        int width,
        int firstChannel,
        int count,
        StepOrder order
    )
    {
        int taps = call.Taps,
            rowTaps = order.RowTaps,
            channels = Math.Min(width, call.OutPerGroup - kb * width);
        long wIn = call.WIn,
            wTap = call.WTap;
        bool reverse = call.ReverseTaps;
        float* block = packed + (long)(g * OutBlocks(call, width) + kb) * call.InPerGroup * taps * width;
        // One source pointer per output channel of the block, hoisted out of the element loop.
        float** rows = stackalloc float*[width];
        for (int lane = 0; lane < channels; lane++)
            rows[lane] = call.W + g * call.WGroup + (kb * width + lane) * call.WOut;
        long Offset(int c, int t) => c * wIn + (reverse ? taps - 1 - t : t) * wTap;
        // Eight channels to a gather where AVX2 has one and their rows lie int offsets apart: packing the weight
        // gradient's dy (gradw-a) took half the time it took one float at a time. Eight channels at a time over all
        // the run's steps, so that eight rows of W stream at once rather than all of the block's (cnn-c's 64 rows 9 KB
        // apart packed in 0.90-1.15 ms a call that way, 0.76-0.87 this way; gradw-a's dy 2.96 -> 1.88 ms).
        int gathered = Avx2.IsSupported && 7 * call.WOut <= int.MaxValue ? channels / 8 * 8 : 0;
        var rowStarts = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * (int)Math.Min(call.WOut, int.MaxValue);
        for (int lane = 0; lane < gathered; lane += 8)
        for (int c = firstChannel; c < firstChannel + count; c++)
        {
            var (start, rowStride) = order.Channel(c);
            for (int r = 0; r < order.Rows; r++)
            {
                float* d = block + (start + r * rowStride) * width + lane;
                for (int t = r * rowTaps; t < (r + 1) * rowTaps; t++, d += width)
                    Avx.Store(d, Avx2.GatherVector256(rows[lane] + Offset(c, t), rowStarts, sizeof(float)));
            }
        }
        if (gathered == width)
            return;
        for (int c = firstChannel; c < firstChannel + count; c++)
        {
            var (start, rowStride) = order.Channel(c);
            for (int r = 0; r < order.Rows; r++)
            {
                float* d = block + (start + r * rowStride) * width;
                for (int t = r * rowTaps; t < (r + 1) * rowTaps; t++, d += width)
                {
                    long offset = Offset(c, t);
                    int lane = gathered;
                    for (; lane < channels; lane++)
                        d[lane] = rows[lane][offset];
                    for (; lane < width; lane++)
                        d[lane] = 0f;
                }
            }
        }
    }

    /// <summary>One register block of <paramref name="vectors"/> vectors of output channels by
    /// <paramref name="blockPositions"/> positions: Block1, Block14 (Block14Rows where the steps come in rows of 3
    /// taps), Block12 (also for the last 7 to 12 positions of blocks of 14: conv1d's 4096 end in 8), or Block for the
    /// last 6 or fewer (for 4 left, 12 would compute 8 in vain, 6 computes 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RegisterBlock<TS, TV>(
        int vectors,
        int blockPositions,
        float* x,
        float* w,
        nint* steps,
        int count,
        int* positionOffsets,
        int positions,
        int first,
        float* tile,
        bool accumulate,
        bool rowsOfThree,
        bool paddedEnds
    )
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        if (vectors == 1)
            Block1<TS, TV>(x, w, steps, count, positionOffsets, positions, first, tile, accumulate);
        else if (blockPositions == 14 && positions - first >= 14)
        {
            x += positionOffsets[first];
            if (paddedEnds)
                Block14Rows<TS, TV, PaddedEnds>(x, w, steps, count, tile, accumulate);
            else if (rowsOfThree)
                Block14Rows<TS, TV, Inside>(x, w, steps, count, tile, accumulate);
            else
                Block14<TS, TV>(x, w, steps, count, tile, accumulate);
        }
        else if (blockPositions >= 12 && positions - first > 6)
            Block12<TS, TV>(x, w, steps, count, positionOffsets, positions, first, tile, accumulate);
        else
            Block<TS, TV>(x, w, steps, count, positionOffsets, positions, first, tile, accumulate);
    }

    /// <summary>
    /// Runs <paramref name="count"/> steps of one register block, starting from zero or from the partial
    /// sums in <paramref name="tile"/>[position][channel], and leaves the sums there. No calls inside, so
    /// the accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TS, TV>(
        float* x,
        float* w,
        nint* steps,
        int count,
        int* positionOffsets,
        int positions,
        int first,
        float* tile,
        bool accumulate
    )
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes,
            width = 2 * lanes;
        int last = positions - 1;
        // Positions past the end repeat the last one: computed, never stored.
        float* x0 = x + positionOffsets[first],
            x1 = x + positionOffsets[Math.Min(first + 1, last)],
            x2 = x + positionOffsets[Math.Min(first + 2, last)];
        float* x3 = x + positionOffsets[Math.Min(first + 3, last)],
            x4 = x + positionOffsets[Math.Min(first + 4, last)],
            x5 = x + positionOffsets[Math.Min(first + 5, last)];
        TV a00,
            a01,
            a10,
            a11,
            a20,
            a21,
            a30,
            a31,
            a40,
            a41,
            a50,
            a51;
        if (accumulate)
        {
            a00 = TS.Load(tile);
            a01 = TS.Load(tile + lanes);
            a10 = TS.Load(tile + width);
            a11 = TS.Load(tile + width + lanes);
            a20 = TS.Load(tile + 2 * width);
            a21 = TS.Load(tile + 2 * width + lanes);
            a30 = TS.Load(tile + 3 * width);
            a31 = TS.Load(tile + 3 * width + lanes);
            a40 = TS.Load(tile + 4 * width);
            a41 = TS.Load(tile + 4 * width + lanes);
            a50 = TS.Load(tile + 5 * width);
            a51 = TS.Load(tile + 5 * width + lanes);
        }
        else
        {
            a00 = a01 = a10 = a11 = a20 = a21 = a30 = a31 = a40 = a41 = a50 = a51 = TS.Zero;
        }
        nint* step = steps,
            end = steps + count;
        for (; step < end; step++, w += width)
        {
            nint o = *step;
            TV w0 = TS.Load(w),
                w1 = TS.Load(w + lanes);
            TV v = TS.Broadcast(x0[o]);
            a00 = TS.MultiplyAdd(v, w0, a00);
            a01 = TS.MultiplyAdd(v, w1, a01);
            v = TS.Broadcast(x1[o]);
            a10 = TS.MultiplyAdd(v, w0, a10);
            a11 = TS.MultiplyAdd(v, w1, a11);
            v = TS.Broadcast(x2[o]);
            a20 = TS.MultiplyAdd(v, w0, a20);
            a21 = TS.MultiplyAdd(v, w1, a21);
            v = TS.Broadcast(x3[o]);
            a30 = TS.MultiplyAdd(v, w0, a30);
            a31 = TS.MultiplyAdd(v, w1, a31);
            v = TS.Broadcast(x4[o]);
            a40 = TS.MultiplyAdd(v, w0, a40);
            a41 = TS.MultiplyAdd(v, w1, a41);
            v = TS.Broadcast(x5[o]);
            a50 = TS.MultiplyAdd(v, w0, a50);
            a51 = TS.MultiplyAdd(v, w1, a51);
        }
        TS.Store(a00, tile);
        TS.Store(a01, tile + lanes);
        TS.Store(a10, tile + width);
        TS.Store(a11, tile + width + lanes);
        TS.Store(a20, tile + 2 * width);
        TS.Store(a21, tile + 2 * width + lanes);
        TS.Store(a30, tile + 3 * width);
        TS.Store(a31, tile + 3 * width + lanes);
        TS.Store(a40, tile + 4 * width);
        TS.Store(a41, tile + 4 * width + lanes);
        TS.Store(a50, tile + 5 * width);
        TS.Store(a51, tile + 5 * width + lanes);
    }

    /// <summary>Block with 2 vectors of output channels by 14 positions that lie one after another in X, from
    /// <paramref name="x"/> (28 of AVX-512's 32 registers): every broadcast is one base and offset, so no pointer
    /// per position is needed (Block12's twelve do not all fit the general registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block14<TS, TV>(float* x, float* w, nint* steps, int count, float* tile, bool accumulate)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes,
            width = 2 * lanes;
        TV a00,
            a01,
            a10,
            a11,
            a20,
            a21,
            a30,
            a31,
            a40,
            a41,
            a50,
            a51,
            a60,
            a61,
            a70,
            a71,
            a80,
            a81,
            a90,
            a91,
            a100,
            a101,
            a110,
            a111,
            a120,
            a121,
            a130,
            a131;
        if (accumulate)
        {
            a00 = TS.Load(tile + 0 * width);
            a01 = TS.Load(tile + 0 * width + lanes);
            a10 = TS.Load(tile + 1 * width);
            a11 = TS.Load(tile + 1 * width + lanes);
            a20 = TS.Load(tile + 2 * width);
            a21 = TS.Load(tile + 2 * width + lanes);
            a30 = TS.Load(tile + 3 * width);
            a31 = TS.Load(tile + 3 * width + lanes);
            a40 = TS.Load(tile + 4 * width);
            a41 = TS.Load(tile + 4 * width + lanes);
            a50 = TS.Load(tile + 5 * width);
            a51 = TS.Load(tile + 5 * width + lanes);
            a60 = TS.Load(tile + 6 * width);
            a61 = TS.Load(tile + 6 * width + lanes);
            a70 = TS.Load(tile + 7 * width);
            a71 = TS.Load(tile + 7 * width + lanes);
            a80 = TS.Load(tile + 8 * width);
            a81 = TS.Load(tile + 8 * width + lanes);
            a90 = TS.Load(tile + 9 * width);
            a91 = TS.Load(tile + 9 * width + lanes);
            a100 = TS.Load(tile + 10 * width);
            a101 = TS.Load(tile + 10 * width + lanes);
            a110 = TS.Load(tile + 11 * width);
            a111 = TS.Load(tile + 11 * width + lanes);
            a120 = TS.Load(tile + 12 * width);
            a121 = TS.Load(tile + 12 * width + lanes);
            a130 = TS.Load(tile + 13 * width);
            a131 = TS.Load(tile + 13 * width + lanes);
        }
        else
        {
            a00 =
                a01 =
                a10 =
                a11 =
                a20 =
                a21 =
                a30 =
                a31 =
                a40 =
                a41 =
                a50 =
                a51 =
                a60 =
                a61 =
                a70 =
                a71 =
                a80 =
                a81 =
                a90 =
                a91 =
                a100 =
                a101 =
                a110 =
                a111 =
                a120 =
                a121 =
                a130 =
                a131 =
                    TS.Zero;
        }
        nint* step = steps,
            end = steps + count;
        for (; step < end; step++, w += width)
        {
            float* xo = x + *step;
            TV w0 = TS.Load(w),
                w1 = TS.Load(w + lanes);
            TV v = TS.Broadcast(xo[0]);
            a00 = TS.MultiplyAdd(v, w0, a00);
            a01 = TS.MultiplyAdd(v, w1, a01);
            v = TS.Broadcast(xo[1]);
            a10 = TS.MultiplyAdd(v, w0, a10);
            a11 = TS.MultiplyAdd(v, w1, a11);
            v = TS.Broadcast(xo[2]);
            a20 = TS.MultiplyAdd(v, w0, a20);
            a21 = TS.MultiplyAdd(v, w1, a21);
            v = TS.Broadcast(xo[3]);
            a30 = TS.MultiplyAdd(v, w0, a30);
            a31 = TS.MultiplyAdd(v, w1, a31);
            v = TS.Broadcast(xo[4]);
            a40 = TS.MultiplyAdd(v, w0, a40);
            a41 = TS.MultiplyAdd(v, w1, a41);
            v = TS.Broadcast(xo[5]);
            a50 = TS.MultiplyAdd(v, w0, a50);
            a51 = TS.MultiplyAdd(v, w1, a51);
            v = TS.Broadcast(xo[6]);
            a60 = TS.MultiplyAdd(v, w0, a60);
            a61 = TS.MultiplyAdd(v, w1, a61);
            v = TS.Broadcast(xo[7]);
            a70 = TS.MultiplyAdd(v, w0, a70);
            a71 = TS.MultiplyAdd(v, w1, a71);
            v = TS.Broadcast(xo[8]);
            a80 = TS.MultiplyAdd(v, w0, a80);
            a81 = TS.MultiplyAdd(v, w1, a81);
            v = TS.Broadcast(xo[9]);
            a90 = TS.MultiplyAdd(v, w0, a90);
            a91 = TS.MultiplyAdd(v, w1, a91);
            v = TS.Broadcast(xo[10]);
            a100 = TS.MultiplyAdd(v, w0, a100);
            a101 = TS.MultiplyAdd(v, w1, a101);
            v = TS.Broadcast(xo[11]);
            a110 = TS.MultiplyAdd(v, w0, a110);
            a111 = TS.MultiplyAdd(v, w1, a111);
            v = TS.Broadcast(xo[12]);
            a120 = TS.MultiplyAdd(v, w0, a120);
            a121 = TS.MultiplyAdd(v, w1, a121);
            v = TS.Broadcast(xo[13]);
            a130 = TS.MultiplyAdd(v, w0, a130);
            a131 = TS.MultiplyAdd(v, w1, a131);
        }
        TS.Store(a00, tile + 0 * width);
        TS.Store(a01, tile + 0 * width + lanes);
        TS.Store(a10, tile + 1 * width);
        TS.Store(a11, tile + 1 * width + lanes);
        TS.Store(a20, tile + 2 * width);
        TS.Store(a21, tile + 2 * width + lanes);
        TS.Store(a30, tile + 3 * width);
        TS.Store(a31, tile + 3 * width + lanes);
        TS.Store(a40, tile + 4 * width);
        TS.Store(a41, tile + 4 * width + lanes);
        TS.Store(a50, tile + 5 * width);
        TS.Store(a51, tile + 5 * width + lanes);
        TS.Store(a60, tile + 6 * width);
        TS.Store(a61, tile + 6 * width + lanes);
        TS.Store(a70, tile + 7 * width);
        TS.Store(a71, tile + 7 * width + lanes);
        TS.Store(a80, tile + 8 * width);
        TS.Store(a81, tile + 8 * width + lanes);
        TS.Store(a90, tile + 9 * width);
        TS.Store(a91, tile + 9 * width + lanes);
        TS.Store(a100, tile + 10 * width);
        TS.Store(a101, tile + 10 * width + lanes);
        TS.Store(a110, tile + 11 * width);
        TS.Store(a111, tile + 11 * width + lanes);
        TS.Store(a120, tile + 12 * width);
        TS.Store(a121, tile + 12 * width + lanes);
        TS.Store(a130, tile + 13 * width);
        TS.Store(a131, tile + 13 * width + lanes);
    }

    /// <summary>
    /// Block14 over steps that come in rows of 3 taps, a row at a time: one pass of the loop per row, and where
    /// <typeparamref name="TE"/> says so, the first position leaves out each row's first tap and the last position its
    /// last, with no count of taps (they read zero padding: 4.8% of the multiply-adds of 14x14 with 3x3 taps padded by
    /// 1). Each tap's offset comes from the step table: worked out from the row's first, where taps lie next to each
    /// other, the JIT keeps each broadcast for the next tap, and they spill from the registers. Blocks with one padded
    /// end only keep it: none of the bench's workloads has them with the steps row by row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block14Rows<TS, TV, TE>(
        float* x,
        float* w,
        nint* steps,
        int count,
        float* tile,
        bool accumulate
    )
        where TS : struct, ISimd<TV>
        where TV : struct
        where TE : struct, IRowEnds
    {
        int lanes = TS.Lanes,
            width = 2 * lanes;
        TV a00,
            a01,
            a10,
            a11,
            a20,
            a21,
            a30,
            a31,
            a40,
            a41,
            a50,
            a51,
            a60,
            a61,
            a70,
            a71,
            a80,
            a81,
            a90,
            a91,
            a100,
            a101,
            a110,
            a111,
            a120,
            a121,
            a130,
            a131;
        if (accumulate)
        {
            a00 = TS.Load(tile + 0 * width);
            a01 = TS.Load(tile + 0 * width + lanes);
            a10 = TS.Load(tile + 1 * width);
            a11 = TS.Load(tile + 1 * width + lanes);
            a20 = TS.Load(tile + 2 * width);
            a21 = TS.Load(tile + 2 * width + lanes);
            a30 = TS.Load(tile + 3 * width);
            a31 = TS.Load(tile + 3 * width + lanes);
            a40 = TS.Load(tile + 4 * width);
            a41 = TS.Load(tile + 4 * width + lanes);
            a50 = TS.Load(tile + 5 * width);
            a51 = TS.Load(tile + 5 * width + lanes);
            a60 = TS.Load(tile + 6 * width);
            a61 = TS.Load(tile + 6 * width + lanes);
            a70 = TS.Load(tile + 7 * width);
            a71 = TS.Load(tile + 7 * width + lanes);
            a80 = TS.Load(tile + 8 * width);
            a81 = TS.Load(tile + 8 * width + lanes);
            a90 = TS.Load(tile + 9 * width);
            a91 = TS.Load(tile + 9 * width + lanes);
            a100 = TS.Load(tile + 10 * width);
            a101 = TS.Load(tile + 10 * width + lanes);
            a110 = TS.Load(tile + 11 * width);
            a111 = TS.Load(tile + 11 * width + lanes);
            a120 = TS.Load(tile + 12 * width);
            a121 = TS.Load(tile + 12 * width + lanes);
            a130 = TS.Load(tile + 13 * width);
            a131 = TS.Load(tile + 13 * width + lanes);
        }
        else
        {
            a00 =
                a01 =
                a10 =
                a11 =
                a20 =
                a21 =
                a30 =
                a31 =
                a40 =
                a41 =
                a50 =
                a51 =
                a60 =
                a61 =
                a70 =
                a71 =
                a80 =
                a81 =
                a90 =
                a91 =
                a100 =
                a101 =
                a110 =
                a111 =
                a120 =
                a121 =
                a130 =
                a131 =
                    TS.Zero;
        }
        nint* step = steps,
            end = steps + count;
        for (; step < end; step += 3, w += 3 * width)
        {
            float* x0 = x + step[0],
                x1 = x + step[1],
                x2 = x + step[2];
            TV w0,
                w1,
                v;
            w0 = TS.Load(w + 0 * width);
            w1 = TS.Load(w + 0 * width + lanes);
            if (!TE.LeftOut)
            {
                v = TS.Broadcast(x0[0]);
                a00 = TS.MultiplyAdd(v, w0, a00);
                a01 = TS.MultiplyAdd(v, w1, a01);
            }
            v = TS.Broadcast(x0[1]);
            a10 = TS.MultiplyAdd(v, w0, a10);
            a11 = TS.MultiplyAdd(v, w1, a11);
            v = TS.Broadcast(x0[2]);
            a20 = TS.MultiplyAdd(v, w0, a20);
            a21 = TS.MultiplyAdd(v, w1, a21);
            v = TS.Broadcast(x0[3]);
            a30 = TS.MultiplyAdd(v, w0, a30);
            a31 = TS.MultiplyAdd(v, w1, a31);
            v = TS.Broadcast(x0[4]);
            a40 = TS.MultiplyAdd(v, w0, a40);
            a41 = TS.MultiplyAdd(v, w1, a41);
            v = TS.Broadcast(x0[5]);
            a50 = TS.MultiplyAdd(v, w0, a50);
            a51 = TS.MultiplyAdd(v, w1, a51);
            v = TS.Broadcast(x0[6]);
            a60 = TS.MultiplyAdd(v, w0, a60);
            a61 = TS.MultiplyAdd(v, w1, a61);
            v = TS.Broadcast(x0[7]);
            a70 = TS.MultiplyAdd(v, w0, a70);
            a71 = TS.MultiplyAdd(v, w1, a71);
            v = TS.Broadcast(x0[8]);
            a80 = TS.MultiplyAdd(v, w0, a80);
            a81 = TS.MultiplyAdd(v, w1, a81);
            v = TS.Broadcast(x0[9]);
            a90 = TS.MultiplyAdd(v, w0, a90);
            a91 = TS.MultiplyAdd(v, w1, a91);
            v = TS.Broadcast(x0[10]);
            a100 = TS.MultiplyAdd(v, w0, a100);
            a101 = TS.MultiplyAdd(v, w1, a101);
            v = TS.Broadcast(x0[11]);
            a110 = TS.MultiplyAdd(v, w0, a110);
            a111 = TS.MultiplyAdd(v, w1, a111);
            v = TS.Broadcast(x0[12]);
            a120 = TS.MultiplyAdd(v, w0, a120);
            a121 = TS.MultiplyAdd(v, w1, a121);
            v = TS.Broadcast(x0[13]);
            a130 = TS.MultiplyAdd(v, w0, a130);
            a131 = TS.MultiplyAdd(v, w1, a131);
            w0 = TS.Load(w + 1 * width);
            w1 = TS.Load(w + 1 * width + lanes);
            v = TS.Broadcast(x1[0]);
            a00 = TS.MultiplyAdd(v, w0, a00);
            a01 = TS.MultiplyAdd(v, w1, a01);
            v = TS.Broadcast(x1[1]);
            a10 = TS.MultiplyAdd(v, w0, a10);
            a11 = TS.MultiplyAdd(v, w1, a11);
            v = TS.Broadcast(x1[2]);
            a20 = TS.MultiplyAdd(v, w0, a20);
            a21 = TS.MultiplyAdd(v, w1, a21);
            v = TS.Broadcast(x1[3]);
            a30 = TS.MultiplyAdd(v, w0, a30);
            a31 = TS.MultiplyAdd(v, w1, a31);
            v = TS.Broadcast(x1[4]);
            a40 = TS.MultiplyAdd(v, w0, a40);
            a41 = TS.MultiplyAdd(v, w1, a41);
            v = TS.Broadcast(x1[5]);
            a50 = TS.MultiplyAdd(v, w0, a50);
            a51 = TS.MultiplyAdd(v, w1, a51);
            v = TS.Broadcast(x1[6]);
            a60 = TS.MultiplyAdd(v, w0, a60);
            a61 = TS.MultiplyAdd(v, w1, a61);
            v = TS.Broadcast(x1[7]);
            a70 = TS.MultiplyAdd(v, w0, a70);
            a71 = TS.MultiplyAdd(v, w1, a71);
            v = TS.Broadcast(x1[8]);
            a80 = TS.MultiplyAdd(v, w0, a80);
            a81 = TS.MultiplyAdd(v, w1, a81);
            v = TS.Broadcast(x1[9]);
            a90 = TS.MultiplyAdd(v, w0, a90);
            a91 = TS.MultiplyAdd(v, w1, a91);
            v = TS.Broadcast(x1[10]);
            a100 = TS.MultiplyAdd(v, w0, a100);
            a101 = TS.MultiplyAdd(v, w1, a101);
            v = TS.Broadcast(x1[11]);
            a110 = TS.MultiplyAdd(v, w0, a110);
            a111 = TS.MultiplyAdd(v, w1, a111);
            v = TS.Broadcast(x1[12]);
            a120 = TS.MultiplyAdd(v, w0, a120);
            a121 = TS.MultiplyAdd(v, w1, a121);
            v = TS.Broadcast(x1[13]);
            a130 = TS.MultiplyAdd(v, w0, a130);
            a131 = TS.MultiplyAdd(v, w1, a131);
            w0 = TS.Load(w + 2 * width);
            w1 = TS.Load(w + 2 * width + lanes);
            v = TS.Broadcast(x2[0]);
            a00 = TS.MultiplyAdd(v, w0, a00);
            a01 = TS.MultiplyAdd(v, w1, a01);
            v = TS.Broadcast(x2[1]);
            a10 = TS.MultiplyAdd(v, w0, a10);
            a11 = TS.MultiplyAdd(v, w1, a11);
            v = TS.Broadcast(x2[2]);
            a20 = TS.MultiplyAdd(v, w0, a20);
            a21 = TS.MultiplyAdd(v, w1, a21);
            v = TS.Broadcast(x2[3]);
            a30 = TS.MultiplyAdd(v, w0, a30);
            a31 = TS.MultiplyAdd(v, w1, a31);
            v = TS.Broadcast(x2[4]);
            a40 = TS.MultiplyAdd(v, w0, a40);
            a41 = TS.MultiplyAdd(v, w1, a41);
            v = TS.Broadcast(x2[5]);
            a50 = TS.MultiplyAdd(v, w0, a50);
            a51 = TS.MultiplyAdd(v, w1, a51);
            v = TS.Broadcast(x2[6]);
            a60 = TS.MultiplyAdd(v, w0, a60);
            a61 = TS.MultiplyAdd(v, w1, a61);
            v = TS.Broadcast(x2[7]);
            a70 = TS.MultiplyAdd(v, w0, a70);
            a71 = TS.MultiplyAdd(v, w1, a71);
            v = TS.Broadcast(x2[8]);
            a80 = TS.MultiplyAdd(v, w0, a80);
            a81 = TS.MultiplyAdd(v, w1, a81);
            v = TS.Broadcast(x2[9]);
            a90 = TS.MultiplyAdd(v, w0, a90);
            a91 = TS.MultiplyAdd(v, w1, a91);
            v = TS.Broadcast(x2[10]);
            a100 = TS.MultiplyAdd(v, w0, a100);
            a101 = TS.MultiplyAdd(v, w1, a101);
            v = TS.Broadcast(x2[11]);
            a110 = TS.MultiplyAdd(v, w0, a110);
            a111 = TS.MultiplyAdd(v, w1, a111);
            v = TS.Broadcast(x2[12]);
            a120 = TS.MultiplyAdd(v, w0, a120);
            a121 = TS.MultiplyAdd(v, w1, a121);
            if (!TE.LeftOut)
            {
                v = TS.Broadcast(x2[13]);
                a130 = TS.MultiplyAdd(v, w0, a130);
                a131 = TS.MultiplyAdd(v, w1, a131);
            }
        }
        TS.Store(a00, tile + 0 * width);
        TS.Store(a01, tile + 0 * width + lanes);
        TS.Store(a10, tile + 1 * width);
        TS.Store(a11, tile + 1 * width + lanes);
        TS.Store(a20, tile + 2 * width);
        TS.Store(a21, tile + 2 * width + lanes);
        TS.Store(a30, tile + 3 * width);
        TS.Store(a31, tile + 3 * width + lanes);
        TS.Store(a40, tile + 4 * width);
        TS.Store(a41, tile + 4 * width + lanes);
        TS.Store(a50, tile + 5 * width);
        TS.Store(a51, tile + 5 * width + lanes);
        TS.Store(a60, tile + 6 * width);
        TS.Store(a61, tile + 6 * width + lanes);
        TS.Store(a70, tile + 7 * width);
        TS.Store(a71, tile + 7 * width + lanes);
        TS.Store(a80, tile + 8 * width);
        TS.Store(a81, tile + 8 * width + lanes);
        TS.Store(a90, tile + 9 * width);
        TS.Store(a91, tile + 9 * width + lanes);
        TS.Store(a100, tile + 10 * width);
        TS.Store(a101, tile + 10 * width + lanes);
        TS.Store(a110, tile + 11 * width);
        TS.Store(a111, tile + 11 * width + lanes);
        TS.Store(a120, tile + 12 * width);
        TS.Store(a121, tile + 12 * width + lanes);
        TS.Store(a130, tile + 13 * width);
        TS.Store(a131, tile + 13 * width + lanes);
    }

    /// <summary>Block with 2 vectors of output channels by 12 positions (24 of AVX-512's 32 registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block12<TS, TV>(
        float* x,
        float* w,
        nint* steps,
        int count,
        int* positionOffsets,
        int positions,
        int first,
        float* tile,
        bool accumulate
    )
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes,
            width = 2 * lanes;
        int last = positions - 1;
        // Positions past the end repeat the last one: computed, never stored.
        float* x0 = x + positionOffsets[first];
        float* x1 = x + positionOffsets[Math.Min(first + 1, last)];
        float* x2 = x + positionOffsets[Math.Min(first + 2, last)];
        float* x3 = x + positionOffsets[Math.Min(first + 3, last)];
        float* x4 = x + positionOffsets[Math.Min(first + 4, last)];
        float* x5 = x + positionOffsets[Math.Min(first + 5, last)];
        float* x6 = x + positionOffsets[Math.Min(first + 6, last)];
        float* x7 = x + positionOffsets[Math.Min(first + 7, last)];
        float* x8 = x + positionOffsets[Math.Min(first + 8, last)];
        float* x9 = x + positionOffsets[Math.Min(first + 9, last)];
        float* x10 = x + positionOffsets[Math.Min(first + 10, last)];
        float* x11 = x + positionOffsets[Math.Min(first + 11, last)];
        TV a00,
            a01,
            a10,
            a11,
            a20,
            a21,
            a30,
            a31,
            a40,
            a41,
            a50,
            a51,
            a60,
            a61,
            a70,
            a71,
            a80,
            a81,
            a90,
            a91,
            a100,
            a101,
            a110,
            a111;
        if (accumulate)
        {
            a00 = TS.Load(tile + 0 * width);
            a01 = TS.Load(tile + 0 * width + lanes);
            a10 = TS.Load(tile + 1 * width);
            a11 = TS.Load(tile + 1 * width + lanes);
            a20 = TS.Load(tile + 2 * width);
            a21 = TS.Load(tile + 2 * width + lanes);
            a30 = TS.Load(tile + 3 * width);
            a31 = TS.Load(tile + 3 * width + lanes);
            a40 = TS.Load(tile + 4 * width);
            a41 = TS.Load(tile + 4 * width + lanes);
            a50 = TS.Load(tile + 5 * width);
            a51 = TS.Load(tile + 5 * width + lanes);
            a60 = TS.Load(tile + 6 * width);
            a61 = TS.Load(tile + 6 * width + lanes);
            a70 = TS.Load(tile + 7 * width);
            a71 = TS.Load(tile + 7 * width + lanes);
            a80 = TS.Load(tile + 8 * width);
            a81 = TS.Load(tile + 8 * width + lanes);
            a90 = TS.Load(tile + 9 * width);
            a91 = TS.Load(tile + 9 * width + lanes);
            a100 = TS.Load(tile + 10 * width);
            a101 = TS.Load(tile + 10 * width + lanes);
            a110 = TS.Load(tile + 11 * width);
            a111 = TS.Load(tile + 11 * width + lanes);
        }
        else
        {
            a00 =
                a01 =
                a10 =
                a11 =
                a20 =
                a21 =
                a30 =
                a31 =
                a40 =
                a41 =
                a50 =
                a51 =
                a60 =
                a61 =
                a70 =
                a71 =
                a80 =
                a81 =
                a90 =
                a91 =
                a100 =
                a101 =
                a110 =
                a111 =
                    TS.Zero;
        }
        nint* step = steps,
            end = steps + count;
        for (; step < end; step++, w += width)
        {
            nint o = *step;
            TV w0 = TS.Load(w),
                w1 = TS.Load(w + lanes);
            TV v;
            v = TS.Broadcast(x0[o]);
            a00 = TS.MultiplyAdd(v, w0, a00);
            a01 = TS.MultiplyAdd(v, w1, a01);
            v = TS.Broadcast(x1[o]);
            a10 = TS.MultiplyAdd(v, w0, a10);
            a11 = TS.MultiplyAdd(v, w1, a11);
            v = TS.Broadcast(x2[o]);
            a20 = TS.MultiplyAdd(v, w0, a20);
            a21 = TS.MultiplyAdd(v, w1, a21);
            v = TS.Broadcast(x3[o]);
            a30 = TS.MultiplyAdd(v, w0, a30);
            a31 = TS.MultiplyAdd(v, w1, a31);
            v = TS.Broadcast(x4[o]);
            a40 = TS.MultiplyAdd(v, w0, a40);
            a41 = TS.MultiplyAdd(v, w1, a41);
            v = TS.Broadcast(x5[o]);
            a50 = TS.MultiplyAdd(v, w0, a50);
            a51 = TS.MultiplyAdd(v, w1, a51);
            v = TS.Broadcast(x6[o]);
            a60 = TS.MultiplyAdd(v, w0, a60);
            a61 = TS.MultiplyAdd(v, w1, a61);
            v = TS.Broadcast(x7[o]);
            a70 = TS.MultiplyAdd(v, w0, a70);
            a71 = TS.MultiplyAdd(v, w1, a71);
            v = TS.Broadcast(x8[o]);
            a80 = TS.MultiplyAdd(v, w0, a80);
            a81 = TS.MultiplyAdd(v, w1, a81);
            v = TS.Broadcast(x9[o]);
            a90 = TS.MultiplyAdd(v, w0, a90);
            a91 = TS.MultiplyAdd(v, w1, a91);
            v = TS.Broadcast(x10[o]);
            a100 = TS.MultiplyAdd(v, w0, a100);
            a101 = TS.MultiplyAdd(v, w1, a101);
            v = TS.Broadcast(x11[o]);
            a110 = TS.MultiplyAdd(v, w0, a110);
            a111 = TS.MultiplyAdd(v, w1, a111);
        }
        TS.Store(a00, tile + 0 * width);
        TS.Store(a01, tile + 0 * width + lanes);
        TS.Store(a10, tile + 1 * width);
        TS.Store(a11, tile + 1 * width + lanes);
        TS.Store(a20, tile + 2 * width);
        TS.Store(a21, tile + 2 * width + lanes);
        TS.Store(a30, tile + 3 * width);
        TS.Store(a31, tile + 3 * width + lanes);
        TS.Store(a40, tile + 4 * width);
        TS.Store(a41, tile + 4 * width + lanes);
        TS.Store(a50, tile + 5 * width);
        TS.Store(a51, tile + 5 * width + lanes);
        TS.Store(a60, tile + 6 * width);
        TS.Store(a61, tile + 6 * width + lanes);
        TS.Store(a70, tile + 7 * width);
        TS.Store(a71, tile + 7 * width + lanes);
        TS.Store(a80, tile + 8 * width);
        TS.Store(a81, tile + 8 * width + lanes);
        TS.Store(a90, tile + 9 * width);
        TS.Store(a91, tile + 9 * width + lanes);
        TS.Store(a100, tile + 10 * width);
        TS.Store(a101, tile + 10 * width + lanes);
        TS.Store(a110, tile + 11 * width);
        TS.Store(a111, tile + 11 * width + lanes);
    }

    /// <summary>Block with 1 vector of output channels by 8 positions, for groups of at most one vector of
    /// channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block1<TS, TV>(
        float* x,
        float* w,
        nint* steps,
        int count,
        int* positionOffsets,
        int positions,
        int first,
        float* tile,
        bool accumulate
    )
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes,
            width = 1 * lanes;
        int last = positions - 1;
        // Positions past the end repeat the last one: computed, never stored.
        float* x0 = x + positionOffsets[first];
        float* x1 = x + positionOffsets[Math.Min(first + 1, last)];
        float* x2 = x + positionOffsets[Math.Min(first + 2, last)];
        float* x3 = x + positionOffsets[Math.Min(first + 3, last)];
        float* x4 = x + positionOffsets[Math.Min(first + 4, last)];
        float* x5 = x + positionOffsets[Math.Min(first + 5, last)];
        float* x6 = x + positionOffsets[Math.Min(first + 6, last)];
        float* x7 = x + positionOffsets[Math.Min(first + 7, last)];
        TV a00,
            a10,
            a20,
            a30,
            a40,
            a50,
            a60,
            a70;
        if (accumulate)
        {
            a00 = TS.Load(tile);
            a10 = TS.Load(tile + width);
            a20 = TS.Load(tile + 2 * width);
            a30 = TS.Load(tile + 3 * width);
            a40 = TS.Load(tile + 4 * width);
            a50 = TS.Load(tile + 5 * width);
            a60 = TS.Load(tile + 6 * width);
            a70 = TS.Load(tile + 7 * width);
        }
        else
        {
            a00 = a10 = a20 = a30 = a40 = a50 = a60 = a70 = TS.Zero;
        }
        nint* step = steps,
            end = steps + count;
        for (; step < end; step++, w += width)
        {
            nint o = *step;
            TV w0 = TS.Load(w);
            TV v = TS.Broadcast(x0[o]);
            a00 = TS.MultiplyAdd(v, w0, a00);
            v = TS.Broadcast(x1[o]);
            a10 = TS.MultiplyAdd(v, w0, a10);
            v = TS.Broadcast(x2[o]);
            a20 = TS.MultiplyAdd(v, w0, a20);
            v = TS.Broadcast(x3[o]);
            a30 = TS.MultiplyAdd(v, w0, a30);
            v = TS.Broadcast(x4[o]);
            a40 = TS.MultiplyAdd(v, w0, a40);
            v = TS.Broadcast(x5[o]);
            a50 = TS.MultiplyAdd(v, w0, a50);
            v = TS.Broadcast(x6[o]);
            a60 = TS.MultiplyAdd(v, w0, a60);
            v = TS.Broadcast(x7[o]);
            a70 = TS.MultiplyAdd(v, w0, a70);
        }
        TS.Store(a00, tile);
        TS.Store(a10, tile + width);
        TS.Store(a20, tile + 2 * width);
        TS.Store(a30, tile + 3 * width);
        TS.Store(a40, tile + 4 * width);
        TS.Store(a50, tile + 5 * width);
        TS.Store(a60, tile + 6 * width);
        TS.Store(a70, tile + 7 * width);
    }

    /// <summary>Registers hold (position, channel); the output wants (channel, position): transpose on the way
    /// out.</summary>
    private static void Scatter(DenseCall call, float* tile, int b, int g, int kb, int first, int positions, int width)
    {
        int last = call.Positions - 1;
        int count = Math.Min(positions, call.Positions - first);
        int channels = Math.Min(width, call.OutPerGroup - kb * width);
        long yOut = call.YOut;
        float* y = call.Y + b * call.YBatch + g * call.YGroup + kb * width * yOut;
        if (call.ReversePositions)
        {
            for (int lane = 0; lane < channels; lane++, y += yOut)
            for (int p = 0; p < count; p++)
                y[last - (first + p)] = tile[p * width + lane];
            return;
        }
        y += first;
        // Eight positions of a channel to a gather where AVX2 has one, stored whole to y (aligned): writing cnn-a's y
        // one float at a time took 3.3 ms a call, 2.1 ms this way.
        bool gather = Avx2.IsSupported;
        var tileRows = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * width;
        for (int lane = 0; lane < channels; lane++, y += yOut)
        {
            float* column = tile + lane;
            int p = 0;
            if (gather)
            {
                int head = Math.Min(count, (int)((32 - ((nint)y & 31)) & 31) / sizeof(float));
                for (; p < head; p++)
                    y[p] = column[p * width];
                for (; p + 8 <= count; p += 8)
                    Avx.StoreAligned(y + p, Avx2.GatherVector256(column + p * width, tileRows, sizeof(float)));
            }
            for (; p < count; p++)
                y[p] = column[p * width];
        }
    }

    /// <summary>Whether a block of 14 leaves out the first tap of each row of 3 at its first position and the last
    /// at its last (a whole row padded by zeros at both ends), as a type: each kind of block is compiled with only its
    /// multiply-adds.</summary>
    private interface IRowEnds
    {
        static abstract bool LeftOut { get; }
    }

    private struct Inside : IRowEnds
    {
        public static bool LeftOut => false;
    }

    private struct PaddedEnds : IRowEnds
    {
        public static bool LeftOut => true;
    }
}
