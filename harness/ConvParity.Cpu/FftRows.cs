using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvParity.Cpu;

/// <summary>
/// Long one-dimensional kernels (one channel per group, kernel extent 1 on the outer axes, stride 1) by
/// overlap-save FFT correlation in double precision, with a per-element proof that the answer is as good
/// as a direct float32 sum.
/// <para>
/// The signal z = x + i|x| goes through one complex FFT; its spectrum gives those of x and |x|, which
/// multiply the kernel's spectrum and that of |kernel|, and one inverse FFT returns y and
/// S = sum |x||w| together. Every element of a double FFT convolution of length L is within
/// E = C log2(L) u_d (||z||_2 ||h||_1 + ||z||_1 ||h||_2) of exact (the normwise FFT bound, Higham
/// ch. 24, carried through the product; C = 64 leaves a wide margin over the derived constant ~20),
/// and S itself is at least S_fft - E. An element is kept when E &lt;= gamma_n (S_fft - E), the error
/// a direct float32 sum of its n products may have; otherwise (cancellation to near zero, zero regions)
/// it is recomputed directly. So the judge's per-element bound holds for every element.
/// </para>
/// </summary>
internal static unsafe class FftRows
{
    private const double Margin = 64, DoubleRoundoff = 1.0 / (1L << 53);
    /// <summary>Longest transform: its four double buffers (512 KB) stay in the L2 cache.</summary>
    private const int MaxLength = 1 << 14;

    [ThreadStatic] private static double[]? _buffers;
    [ThreadStatic] private static float[]? _tile;

    /// <summary>Whether the shape is one the FFT path handles.</summary>
    public static bool Applies(Geometry s) => s.Kernel[0] == 1 && s.Kernel[1] == 1 && s.Stride[2] == 1 && s.Kernel[2] >= 64;

    /// <summary>The FFT length to use, or 0 when direct summation is expected to be faster (a simple cycle model).</summary>
    public static int ChooseLength(Geometry s, bool force = false)
    {
        long outputs = s.Output[2];
        int reach = (s.Kernel[2] - 1) * s.Dilation[2] + 1;
        // Direct: one multiply-add per product, vectors of SimdWidth.Lanes floats, two FMA units.
        double direct = (double)outputs * s.Kernel[2] / (2.0 * SimdWidth.Lanes);
        int best = 0;
        double bestCost = force ? double.PositiveInfinity : direct;
        for (int length = 1 << 10; length <= MaxLength; length *= 2)
        {
            long valid = length - reach + 1;
            if (valid < length / 4) continue;
            long blocks = (outputs + valid - 1) / valid;
            // Two complex FFTs (5 L log2 L flops each) plus the product, in double vectors of Lanes/2.
            double cost = blocks * (double)length * (10.0 * Math.Log2(length) + 30) / Math.Max(2, SimdWidth.Lanes / 2);
            if (cost < bestCost) (best, bestCost) = (length, cost);
        }
        return best;
    }

    public static void Run(PlaneCall call, int length, WorkerTeam team)
    {
        var s = call.Shape;
        var fft = new Fft(length);
        int reach = (s.Kernel[2] - 1) * s.Dilation[2] + 1, valid = length - reach + 1;
        int taps = s.Kernel[2];
        // Spectra of the reversed, spread kernel h and of |h|, per channel, in the FFT's bit-reversed order.
        var spectra = new double[call.Channels][];
        var norms = new (double One, double Two)[call.Channels];
        for (int c = 0; c < call.Channels; c++)
        {
            var re = new double[length]; var im = new double[length];
            double one = 0, two = 0;
            for (int t = 0; t < taps; t++)
            {
                double v = call.W[c * taps + (call.ReverseTaps ? taps - 1 - t : t)];
                re[reach - 1 - t * s.Dilation[2]] = v;
                im[reach - 1 - t * s.Dilation[2]] = Math.Abs(v);
                one += Math.Abs(v);
                two += v * v;
            }
            // One transform for both: h is real and |h| real, so H and G come apart by symmetry.
            fft.Forward(re, im);
            var spectrum = new double[4 * length];
            for (int i = 0; i < length; i++)
            {
                int q = fft.Partner[i];
                spectrum[i] = (re[i] + re[q]) / 2; spectrum[length + i] = (im[i] - im[q]) / 2;          // H
                spectrum[2 * length + i] = (im[i] + im[q]) / 2; spectrum[3 * length + i] = (re[q] - re[i]) / 2; // G
            }
            spectra[c] = spectrum;
            norms[c] = (one, Math.Sqrt(two));
        }

        double gamma = taps * ErrorBoundRoundoff / (1 - taps * ErrorBoundRoundoff);
        int rows = s.Output[0] * s.Output[1], blocks = (s.Output[2] + valid - 1) / valid;
        int planes = call.Batch * call.Channels, sourceVolume = Geometry.Volume(call.SourceSize);
        team.Run(planes * rows * blocks, item =>
        {
            int block = item % blocks; item /= blocks;
            int row = item % rows, plane = item / rows;
            int o0 = row / s.Output[1], o1 = row % s.Output[1];
            int first = block * valid, count = Math.Min(valid, s.Output[2] - first);
            var buffers = _buffers is { } b && b.Length >= 4 * length ? b : _buffers = new double[4 * length];
            var tile = _tile is { } t && t.Length >= length ? t : _tile = new float[length];
            int extent = count - 1 + reach;
            Extension.Extend(new ReadOnlySpan<float>(call.Source + (long)plane * sourceVolume, sourceVolume), call.SourceSize, call.Boundary,
                [o0 * s.Stride[0] - call.SourcePad[0], o1 * s.Stride[1] - call.SourcePad[1], first - call.SourcePad[2]], [1, 1, extent], tile);
            var spectrum = spectra[plane % call.Channels];
            var (hOne, hTwo) = norms[plane % call.Channels];
            float* y = call.Y + (long)plane * s.OutputVolume + (long)row * s.Output[2] + first;
            float* w = call.W + (plane % call.Channels) * taps;
            Block(fft, buffers, tile, extent, spectrum, hOne, hTwo, gamma, reach, count, y, w, taps, s.Dilation[2], call.ReverseTaps);
        });
    }

    private const double ErrorBoundRoundoff = 1.0 / (1 << 24);

    private static void Block(Fft fft, double[] buffers, float[] tile, int extent, double[] spectrum, double hOne, double hTwo, double gamma,
        int reach, int count, float* y, float* w, int taps, int dilation, bool reverse)
    {
        int length = fft.Length;
        var re = buffers.AsSpan(0, length); var im = buffers.AsSpan(length, length);
        var pr = buffers.AsSpan(2 * length, length); var pi = buffers.AsSpan(3 * length, length);
        var (one, two) = Load(tile.AsSpan(0, extent), re, im);
        fft.Forward(re, im);
        Multiply(re, im, pr, pi, spectrum, fft.Partner);
        fft.Inverse(pr, pi);

        double scale = 1.0 / length;
        double error = Margin * fft.Log2 * DoubleRoundoff * (Math.Sqrt(2 * two) * hOne + Math.Sqrt(2) * one * hTwo);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Four at a time while every element of the four passes; the first that does not goes on alone below.
            var scales = Vector256.Create(scale);
            var errors = Vector256.Create(error);
            var gammas = Vector256.Create(gamma);
            ref double values = ref pr[reach - 1], magnitudes = ref pi[reach - 1];
            for (; i + 4 <= count; i += 4)
            {
                var value = Vector256.LoadUnsafe(ref values, (nuint)i) * scales;
                var magnitude = Vector256.LoadUnsafe(ref magnitudes, (nuint)i) * scales;
                if (!Vector256.LessThanOrEqualAll(errors, gammas * (magnitude - errors))) break;
                y[i] = (float)value[0]; y[i + 1] = (float)value[1]; y[i + 2] = (float)value[2]; y[i + 3] = (float)value[3];
            }
        }
        for (; i < count; i++)
        {
            double value = pr[reach - 1 + i] * scale, magnitude = pi[reach - 1 + i] * scale;
            if (error <= gamma * (magnitude - error))
            {
                y[i] = (float)value;
                continue;
            }
            // Not provably float32-accurate here: sum this element directly.
            double sum = 0;
            for (int t = 0; t < taps; t++) sum += (double)w[reverse ? taps - 1 - t : t] * tile[i + t * dilation];
            y[i] = (float)sum;
        }
    }

    /// <summary>re = x, im = |x| (zero past x), and the 1- and squared 2-norms of x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double One, double Two) Load(ReadOnlySpan<float> x, Span<double> re, Span<double> im)
    {
        int i = 0;
        double one = 0, two = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> ones = Vector256<double>.Zero, twos = Vector256<double>.Zero;
            for (; i + 4 <= x.Length; i += 4)
            {
                var v = Vector256.Create(Vector128.WidenLower(Vector128.Create(x[i], x[i + 1], 0, 0)), Vector128.WidenLower(Vector128.Create(x[i + 2], x[i + 3], 0, 0)));
                var a = Vector256.Abs(v);
                v.CopyTo(re.Slice(i, 4)); a.CopyTo(im.Slice(i, 4));
                ones += a; twos += v * v;
            }
            one = Vector256.Sum(ones); two = Vector256.Sum(twos);
        }
        for (; i < x.Length; i++)
        {
            double v = x[i];
            re[i] = v; im[i] = Math.Abs(v);
            one += Math.Abs(v); two += v * v;
        }
        re[x.Length..].Clear(); im[x.Length..].Clear();
        return (one, two);
    }

    /// <summary>P = X H + i A G, with X and A (the spectra of x and |x|) taken apart from Z = FFT(x + i|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply(Span<double> re, Span<double> im, Span<double> pr, Span<double> pi, double[] spectrum, int[] partner)
    {
        int length = re.Length;
        ref double r = ref re[0], m = ref im[0], outR = ref pr[0], outI = ref pi[0];
        ref double h = ref spectrum[0];
        ref int partners = ref partner[0];
        for (int i = 0; i < length; i++)
        {
            int q = Unsafe.Add(ref partners, i);
            double zr = Unsafe.Add(ref r, i), zi = Unsafe.Add(ref m, i), qr = Unsafe.Add(ref r, q), qi = Unsafe.Add(ref m, q);
            double xr = (zr + qr) * 0.5, xi = (zi - qi) * 0.5, ar = (zi + qi) * 0.5, ai = (qr - zr) * 0.5;
            double hr = Unsafe.Add(ref h, i), hi = Unsafe.Add(ref h, length + i), gr = Unsafe.Add(ref h, 2 * length + i), gi = Unsafe.Add(ref h, 3 * length + i);
            Unsafe.Add(ref outR, i) = xr * hr - xi * hi - (ar * gi + ai * gr);
            Unsafe.Add(ref outI, i) = xr * hi + xi * hr + ar * gr - ai * gi;
        }
    }
}
