using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvParity.Cpu;

/// <summary>
/// One channel in, one channel out (depthwise convolutions, single images and signals), stride 1 on the
/// last axis: vectors run along an output row, four at a time in registers, and every tap is one
/// broadcast weight times unaligned loads of the extended input row.
/// </summary>
internal sealed unsafe class PlaneCall
{
    /// <summary>Planes: Batch * Channels, each with its own kernel (channel index = plane % Channels).</summary>
    public required int Batch, Channels;
    public required Geometry Shape;
    /// <summary>Extended input planes of size Shape.Extended, plane stride = its volume.</summary>
    public required float* X;
    /// <summary>Kernels, one per channel, KernelVolume floats each.</summary>
    public required float* W;
    public required bool ReverseTaps;
    /// <summary>Output planes of size Shape.Output.</summary>
    public required float* Y;
}

internal static unsafe class PlaneKernel
{
    /// <summary>Whether the plane kernel can run a problem shaped so.</summary>
    public static bool Fits(Geometry shape) => shape.Stride[2] == 1;

    public static void Run(PlaneCall call, WorkerTeam team)
    {
        switch (SimdWidth.Lanes)
        {
            case 16: Run<Simd512, Vector512<float>>(call, team); break;
            case 8: Run<Simd256, Vector256<float>>(call, team); break;
            default: Run<Simd128, Vector128<float>>(call, team); break;
        }
    }

    private static void Run<TS, TV>(PlaneCall call, WorkerTeam team) where TS : struct, ISimd<TV> where TV : struct
    {
        var s = call.Shape;
        int rows = s.Output[0] * s.Output[1];
        int planes = call.Batch * call.Channels;
        int kernelVolume = s.KernelVolume;
        // Kernels in tap order (flip applied), one copy for the whole call.
        var kernels = new float[call.Channels * kernelVolume];
        for (int c = 0; c < call.Channels; c++)
            for (int t = 0; t < kernelVolume; t++)
                kernels[c * kernelVolume + t] = call.W[c * kernelVolume + (call.ReverseTaps ? kernelVolume - 1 - t : t)];
        // Work items: runs of output rows, enough for every thread.
        int chunks = Math.Clamp(8 * team.Threads / planes, 1, rows);
        int perChunk = (rows + chunks - 1) / chunks;
        fixed (float* k = kernels)
        {
            float* kp = k;
            team.Run(planes * chunks, item =>
            {
                int plane = item / chunks, chunk = item % chunks;
                float* x = call.X + (long)plane * s.ExtendedVolume;
                float* y = call.Y + (long)plane * s.OutputVolume;
                float* w = kp + (plane % call.Channels) * kernelVolume;
                for (int row = chunk * perChunk, end = Math.Min(rows, row + perChunk); row < end; row++)
                    Row<TS, TV>(s, x, w, y, row);
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TS, TV>(Geometry s, float* x, float* w, float* y, int row) where TS : struct, ISimd<TV> where TV : struct
    {
        int lanes = TS.Lanes;
        int r0 = row / s.Output[1], r1 = row % s.Output[1];
        int length = s.Output[2], e1 = s.Extended[1], e2 = s.Extended[2], k2 = s.Kernel[2], d2 = s.Dilation[2];
        float* output = y + (long)row * length;
        int o = 0;
        for (; o + 4 * lanes <= length; o += 4 * lanes)
        {
            TV a0 = TS.Zero, a1 = TS.Zero, a2 = TS.Zero, a3 = TS.Zero;
            float* wt = w;
            for (int t0 = 0; t0 < s.Kernel[0]; t0++)
                for (int t1 = 0; t1 < s.Kernel[1]; t1++)
                {
                    float* xr = x + ((long)(r0 * s.Stride[0] + t0 * s.Dilation[0]) * e1 + r1 * s.Stride[1] + t1 * s.Dilation[1]) * e2 + o;
                    for (int t2 = 0; t2 < k2; t2++, wt++, xr += d2)
                    {
                        TV v = TS.Broadcast(*wt);
                        a0 = TS.MultiplyAdd(TS.Load(xr), v, a0);
                        a1 = TS.MultiplyAdd(TS.Load(xr + lanes), v, a1);
                        a2 = TS.MultiplyAdd(TS.Load(xr + 2 * lanes), v, a2);
                        a3 = TS.MultiplyAdd(TS.Load(xr + 3 * lanes), v, a3);
                    }
                }
            TS.Store(a0, output + o); TS.Store(a1, output + o + lanes);
            TS.Store(a2, output + o + 2 * lanes); TS.Store(a3, output + o + 3 * lanes);
        }
        for (; o + lanes <= length; o += lanes)
        {
            TV a0 = TS.Zero;
            float* wt = w;
            for (int t0 = 0; t0 < s.Kernel[0]; t0++)
                for (int t1 = 0; t1 < s.Kernel[1]; t1++)
                {
                    float* xr = x + ((long)(r0 * s.Stride[0] + t0 * s.Dilation[0]) * e1 + r1 * s.Stride[1] + t1 * s.Dilation[1]) * e2 + o;
                    for (int t2 = 0; t2 < k2; t2++, wt++, xr += d2)
                        a0 = TS.MultiplyAdd(TS.Load(xr), TS.Broadcast(*wt), a0);
                }
            TS.Store(a0, output + o);
        }
        for (; o < length; o++)
        {
            float sum = 0;
            float* wt = w;
            for (int t0 = 0; t0 < s.Kernel[0]; t0++)
                for (int t1 = 0; t1 < s.Kernel[1]; t1++)
                {
                    float* xr = x + ((long)(r0 * s.Stride[0] + t0 * s.Dilation[0]) * e1 + r1 * s.Stride[1] + t1 * s.Dilation[1]) * e2 + o;
                    for (int t2 = 0; t2 < k2; t2++, wt++, xr += d2) sum += *wt * *xr;
                }
            output[o] = sum;
        }
    }
}
