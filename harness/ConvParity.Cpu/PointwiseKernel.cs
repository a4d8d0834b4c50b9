using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvParity.Cpu;

/// <summary>
/// 1x1 convolutions with stride 1 and no padding, a matrix product per image: Y(k, p) = sum over c of
/// W(k, c) X(c, p), with positions contiguous in both X and Y. Vectors run along the positions, so
/// results are stored as whole vectors with no transposition: a block of 4 output channels by 3 vectors
/// of positions lives in 12 registers; each input channel costs 3 loads and 4 broadcasts.
/// </summary>
internal static unsafe class PointwiseKernel
{
    private const int Channels = 4,
        Vectors = 3,
        RunBlocks = 32;

    /// <summary>Whether a dense call of this geometry is a plain per-image matrix product.</summary>
    public static bool Fits(Geometry s) => s.KernelVolume == 1 && s.Stride.All(v => v == 1) && s.ExtendedIsInput;

    /// <summary>Runs <paramref name="call"/> (its position offsets must be 0, 1, 2...) with vectors of <paramref
    /// name="lanes"/> floats, packing the weights into an array of <paramref name="workspace"/>.</summary>
    public static void Run(DenseCall call, WorkerTeam team, Workspace workspace, int lanes)
    {
        using var packed = workspace.Lease((long)call.Groups * OutBlocks(call) * call.InPerGroup * Channels);
        switch (lanes)
        {
            case 16:
                Run<Simd512, Vector512<float>>(call, team, packed.Array);
                break;
            case 8:
                Run<Simd256, Vector256<float>>(call, team, packed.Array);
                break;
            default:
                Run<Simd128, Vector128<float>>(call, team, packed.Array);
                break;
        }
    }

    private static int OutBlocks(DenseCall call) => (call.OutPerGroup + Channels - 1) / Channels;

    private static void Run<TS, TV>(DenseCall call, WorkerTeam team, float[] packed)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int block = Vectors * TS.Lanes,
            positions = call.Positions,
            cg = call.InPerGroup;
        int blocks = (positions + block - 1) / block;
        int chunks = (blocks + RunBlocks - 1) / RunBlocks;
        int outBlocks = OutBlocks(call);
        // Weights packed per group as [channel block][c][4], the last block padded by repeating its last channel.
        for (int g = 0; g < call.Groups; g++)
        for (int kb = 0; kb < outBlocks; kb++)
        for (int c = 0; c < cg; c++)
        for (int j = 0; j < Channels; j++)
        {
            int k = Math.Min(kb * Channels + j, call.OutPerGroup - 1);
            packed[((g * outBlocks + kb) * cg + c) * Channels + j] = call.W[
                g * call.WGroup + k * call.WOut + c * call.WIn
            ];
        }
        fixed (float* wp = packed)
        {
            float* pw = wp;
            team.Run(
                call.Batch * call.Groups * chunks,
                item =>
                {
                    int chunk = item % chunks,
                        rest = item / chunks;
                    int g = rest % call.Groups,
                        b = rest / call.Groups;
                    float* x = call.X + b * call.XBatch + g * call.XGroup;
                    float* y = call.Y + b * call.YBatch + g * call.YGroup;
                    for (
                        int first = chunk * RunBlocks * block, end = Math.Min(positions, first + RunBlocks * block);
                        first < end;
                        first += block
                    )
                    for (int kb = 0; kb < outBlocks; kb++)
                    {
                        int count = Math.Min(Channels, call.OutPerGroup - kb * Channels);
                        float* w = pw + (long)(g * outBlocks + kb) * cg * Channels;
                        float* yk = y + (long)kb * Channels * call.YOut;
                        if (positions >= block)
                            // The last block moves back to end at the last position: a few outputs are computed twice,
                            // to the same values.
                            Block<TS, TV>(
                                x,
                                call.XChannel,
                                w,
                                cg,
                                Math.Min(first, positions - block),
                                yk,
                                call.YOut,
                                count
                            );
                        else
                            Scalar(x, call.XChannel, w, cg, positions, yk, call.YOut, count);
                    }
                }
            );
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TS, TV>(float* x, long xChannel, float* w, int cg, int p, float* y, long yOut, int count)
        where TS : struct, ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Lanes;
        TV a00 = TS.Zero,
            a01 = TS.Zero,
            a02 = TS.Zero,
            a10 = TS.Zero,
            a11 = TS.Zero,
            a12 = TS.Zero;
        TV a20 = TS.Zero,
            a21 = TS.Zero,
            a22 = TS.Zero,
            a30 = TS.Zero,
            a31 = TS.Zero,
            a32 = TS.Zero;
        float* xc = x + p;
        for (int c = 0; c < cg; c++, xc += xChannel, w += Channels)
        {
            TV x0 = TS.Load(xc),
                x1 = TS.Load(xc + lanes),
                x2 = TS.Load(xc + 2 * lanes);
            TV v = TS.Broadcast(w[0]);
            a00 = TS.MultiplyAdd(v, x0, a00);
            a01 = TS.MultiplyAdd(v, x1, a01);
            a02 = TS.MultiplyAdd(v, x2, a02);
            v = TS.Broadcast(w[1]);
            a10 = TS.MultiplyAdd(v, x0, a10);
            a11 = TS.MultiplyAdd(v, x1, a11);
            a12 = TS.MultiplyAdd(v, x2, a12);
            v = TS.Broadcast(w[2]);
            a20 = TS.MultiplyAdd(v, x0, a20);
            a21 = TS.MultiplyAdd(v, x1, a21);
            a22 = TS.MultiplyAdd(v, x2, a22);
            v = TS.Broadcast(w[3]);
            a30 = TS.MultiplyAdd(v, x0, a30);
            a31 = TS.MultiplyAdd(v, x1, a31);
            a32 = TS.MultiplyAdd(v, x2, a32);
        }
        float* row = y + p;
        TS.Store(a00, row);
        TS.Store(a01, row + lanes);
        TS.Store(a02, row + 2 * lanes);
        if (count < 2)
            return;
        row += yOut;
        TS.Store(a10, row);
        TS.Store(a11, row + lanes);
        TS.Store(a12, row + 2 * lanes);
        if (count < 3)
            return;
        row += yOut;
        TS.Store(a20, row);
        TS.Store(a21, row + lanes);
        TS.Store(a22, row + 2 * lanes);
        if (count < 4)
            return;
        row += yOut;
        TS.Store(a30, row);
        TS.Store(a31, row + lanes);
        TS.Store(a32, row + 2 * lanes);
    }

    /// <summary>Rows shorter than one block.</summary>
    private static void Scalar(float* x, long xChannel, float* w, int cg, int positions, float* y, long yOut, int count)
    {
        for (int j = 0; j < count; j++)
        for (int p = 0; p < positions; p++)
        {
            float sum = 0;
            for (int c = 0; c < cg; c++)
                sum += w[c * Channels + j] * x[c * xChannel + p];
            y[j * yOut + p] = sum;
        }
    }
}
