using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvParity.Cpu;

internal static unsafe class PlaneKernel
{
    private const int TileFloats = 1 << 16,
        SegmentLength = 4096;

    [ThreadStatic]
    private static float[]? _tile;

    /// <summary>Whether the plane kernel can run a problem shaped so.</summary>
    public static bool Fits(Geometry shape) => shape.Stride[2] == 1;

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
    public static void Row(Geometry s, int[] size, float* x, float* w, float* output, int length, int lanes)
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
        int[] reach = [.. Enumerable.Range(0, 3).Select(a => (s.Kernel[a] - 1) * s.Dilation[a] + 1)];
        var kernels = TapOrder(call);

        // Tiles: a segment of the last axis by a run of rows of the middle axis, for one index of the first.
        int segment = Math.Min(s.Output[2], SegmentLength);
        int segments = (s.Output[2] + segment - 1) / segment;
        int width = segment - 1 + reach[2];
        int rows = Math.Clamp((TileFloats / width - reach[1]) / s.Stride[1] + 1, 1, s.Output[1]);
        int runs = (s.Output[1] + rows - 1) / rows;
        int sourceVolume = Geometry.Volume(call.SourceSize);
        fixed (float* k = kernels)
        {
            float* kp = k;
            team.Run(
                planes * s.Output[0] * runs * segments,
                item =>
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
                    int[] size = [reach[0], (count1 - 1) * s.Stride[1] + reach[1], count2 - 1 + reach[2]];
                    int[] start =
                    [
                        o0 * s.Stride[0] - call.SourcePad[0],
                        o1 * s.Stride[1] - call.SourcePad[1],
                        o2 - call.SourcePad[2],
                    ];
                    int volume = Geometry.Volume(size);
                    var tile =
                        _tile is { } t && t.Length >= volume
                            ? t
                            : _tile = GC.AllocateUninitializedArray<float>(
                                Math.Max(volume, TileFloats + 64 * width),
                                pinned: true
                            );
                    Extension.Extend(
                        new ReadOnlySpan<float>(call.Source + (long)plane * sourceVolume, sourceVolume),
                        call.SourceSize,
                        call.Boundary,
                        start,
                        size,
                        tile
                    );
                    fixed (float* x = tile)
                    {
                        float* w = kp + (plane % call.Channels) * kernelVolume;
                        float* y =
                            call.Y + (long)plane * s.OutputVolume + ((long)o0 * s.Output[1] + o1) * s.Output[2] + o2;
                        for (int r = 0; r < count1; r++)
                            Row<TS, TV>(
                                s,
                                size,
                                x + (long)r * s.Stride[1] * size[2],
                                w,
                                y + (long)r * s.Output[2],
                                count2
                            );
                    }
                }
            );
        }
    }

    /// <summary>One output row segment of <paramref name="length"/> from a tile of <paramref name="size"/> whose row 0
    /// it starts at.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TS, TV>(Geometry s, int[] size, float* x, float* w, float* output, int length)
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
}
