using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvParity.Cpu;

/// <summary>
/// The dense microkernel: a block of 2 vectors of output channels by 6 output positions lives in 12
/// vector registers while the inner loop runs over input channels and taps, with the weights packed so
/// each step loads two vectors and broadcasts six input values (12 multiply-adds). Works on any group
/// width; channels past the group's end are zero lanes that are computed and not stored.
/// </summary>
internal static unsafe class DenseKernel
{
    private const int BlockPositions = 6;

    /// <summary>Position blocks in one work item's run: their partial sums (at most 64 KB) stay in cache between step
    /// slices.</summary>
    private const int RunBlocks = 64;

    /// <summary>Floats of packed weights the call needs (the bounded workspace besides the extended input).</summary>
    public static long PackedLength(DenseCall call, int lanes) =>
        (long)call.Groups * OutBlocks(call, lanes) * 2 * lanes * call.InPerGroup * call.Taps;

    /// <summary>Runs the call on <paramref name="team"/> with vectors of <paramref name="lanes"/> floats (16, 8 or
    /// 4), packing the weights into an array of <paramref name="workspace"/>.</summary>
    public static void Run(DenseCall call, WorkerTeam team, Workspace workspace, int lanes)
    {
        var packed = workspace.Rent(PackedLength(call, lanes));
        try
        {
            switch (lanes)
            {
                case 16:
                    Run<Simd512, Vector512<float>>(call, team, packed);
                    break;
                case 8:
                    Run<Simd256, Vector256<float>>(call, team, packed);
                    break;
                default:
                    Run<Simd128, Vector128<float>>(call, team, packed);
                    break;
            }
        }
        finally
        {
            workspace.Return(packed);
        }
    }

    private static int OutBlocks(DenseCall call, int lanes) => (call.OutPerGroup + 2 * lanes - 1) / (2 * lanes);

    private static void Run<TS, TV>(DenseCall call, WorkerTeam team, float[] packed)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes,
            width = 2 * lanes;
        int outBlocks = OutBlocks(call, lanes);
        // One step per (input channel, tap), in packed-weight order: its offset from the group's X base.
        var steps = new nint[call.InPerGroup * call.Taps];
        for (int c = 0, i = 0; c < call.InPerGroup; c++)
        for (int t = 0; t < call.Taps; t++)
            steps[i++] = (nint)(c * call.XChannel + call.TapOffsets[t]);
        // Steps run in slices whose packed weights fit the L1 cache (16 KB), each over a whole run of position blocks.
        int slice = Math.Max(1, 16384 / (width * sizeof(float)));
        fixed (float* wp = packed)
        {
            float* pw = wp;
            team.Run(call.Groups * outBlocks, i => Pack(call, pw, i / outBlocks, i % outBlocks, width));

            // Work items: (batch, group, channel block, run of position blocks), enough for every thread.
            int positionBlocks = (call.Positions + BlockPositions - 1) / BlockPositions;
            int outer = call.Batch * call.Groups * outBlocks;
            int chunks = Math.Clamp(8 * team.Threads / Math.Max(outer, 1), 1, positionBlocks);
            chunks = Math.Max(chunks, (positionBlocks + RunBlocks - 1) / RunBlocks);
            int perChunk = (positionBlocks + chunks - 1) / chunks;
            fixed (int* positions = call.PositionOffsets)
            fixed (nint* stepOffsets = steps)
            {
                int* pp = positions;
                nint* ps = stepOffsets;
                int stepCount = steps.Length;
                team.Run(
                    outer * chunks,
                    item =>
                    {
                        int chunk = item % chunks,
                            rest = item / chunks;
                        int kb = rest % outBlocks;
                        rest /= outBlocks;
                        int g = rest % call.Groups,
                            b = rest / call.Groups;
                        int firstBlock = chunk * perChunk,
                            endBlock = Math.Min(positionBlocks, firstBlock + perChunk);
                        float* tiles = stackalloc float[RunBlocks * BlockPositions * 32];
                        float* x = call.X + b * call.XBatch + g * call.XGroup;
                        float* w = pw + (long)(g * outBlocks + kb) * stepCount * width;
                        for (int first = 0; first < stepCount; first += slice)
                        {
                            int count = Math.Min(slice, stepCount - first);
                            for (int block = firstBlock; block < endBlock; block++)
                                Block<TS, TV>(
                                    x,
                                    w + (long)first * width,
                                    ps + first,
                                    count,
                                    pp,
                                    call.Positions,
                                    block * BlockPositions,
                                    tiles + (block - firstBlock) * BlockPositions * width,
                                    accumulate: first > 0
                                );
                        }
                        for (int block = firstBlock; block < endBlock; block++)
                            Scatter(
                                call,
                                tiles + (block - firstBlock) * BlockPositions * width,
                                b,
                                g,
                                kb,
                                block * BlockPositions,
                                width
                            );
                    }
                );
            }
        }
    }

    /// <summary>packed[g][kb][c][t][lane]: W(g, kb * width + lane, c, t), zero past the group's channels.</summary>
    private static void Pack(DenseCall call, float* packed, int g, int kb, int width)
    {
        int taps = call.Taps,
            cg = call.InPerGroup;
        float* dest = packed + ((long)(g * OutBlocks(call, width / 2) + kb) * cg) * taps * width;
        for (int c = 0; c < cg; c++)
        for (int t = 0; t < taps; t++, dest += width)
        {
            long tap = (call.ReverseTaps ? taps - 1 - t : t) * call.WTap;
            for (int lane = 0; lane < width; lane++)
            {
                int k = kb * width + lane;
                dest[lane] = k < call.OutPerGroup ? call.W[g * call.WGroup + k * call.WOut + c * call.WIn + tap] : 0f;
            }
        }
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

    /// <summary>Registers hold (position, channel); the output wants (channel, position): transpose on the way
    /// out.</summary>
    private static void Scatter(DenseCall call, float* tile, int b, int g, int kb, int first, int width)
    {
        int last = call.Positions - 1;
        int count = Math.Min(BlockPositions, call.Positions - first);
        int channels = Math.Min(width, call.OutPerGroup - kb * width);
        float* y = call.Y + b * call.YBatch + g * call.YGroup + (long)kb * width * call.YOut;
        for (int lane = 0; lane < channels; lane++, y += call.YOut)
        for (int p = 0; p < count; p++)
            y[call.ReversePositions ? last - (first + p) : first + p] = tile[p * width + lane];
    }
}
