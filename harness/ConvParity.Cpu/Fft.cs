using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvParity.Cpu;

/// <summary>
/// A complex double-precision FFT of one power-of-two length, split real and imaginary arrays.
/// Forward is decimation in frequency (natural order in, bit-reversed out) and Inverse decimation in
/// time (bit-reversed in, natural out), so a convolution never permutes. Twiddles come from Math.Cos
/// and Math.Sin per entry (no recurrence), so each is within an ulp or so of exact.
/// </summary>
internal sealed class Fft
{
    private readonly double[] _cos, _sin; // stage with half-length h: entries h-1 .. 2h-2, angle -2 pi j / 2h

    public Fft(int length)
    {
        if (length < 2 || (length & (length - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(length), length, "a power of two, at least 2");
        Length = length;
        _cos = new double[length];
        _sin = new double[length];
        for (int h = 1; h < length; h *= 2)
            for (int j = 0; j < h; j++)
            {
                double angle = -Math.PI * j / h;
                _cos[h - 1 + j] = Math.Cos(angle);
                _sin[h - 1 + j] = Math.Sin(angle);
            }
        Partner = new int[length];
        int bits = Log2;
        for (int i = 0; i < length; i++) Partner[i] = Reverse((length - Reverse(i, bits)) & (length - 1), bits);
    }

    public int Length { get; }

    public int Log2 => System.Numerics.BitOperations.Log2((uint)Length);

    /// <summary>Partner[i]: the bit-reversed position of frequency -f where position i holds frequency f.</summary>
    public int[] Partner { get; }

    private static int Reverse(int value, int bits)
    {
        int result = 0;
        for (int b = 0; b < bits; b++, value >>= 1) result = (result << 1) | (value & 1);
        return result;
    }

    /// <summary>In place; the result is in bit-reversed order.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        for (int h = Length / 2; h >= 1; h /= 2) Stage(re, im, h, inverse: false);
    }

    /// <summary>In place, from bit-reversed order to natural order, without the 1/L scale.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        for (int h = 1; h < Length; h *= 2) Stage(re, im, h, inverse: true);
    }

    private void Stage(Span<double> re, Span<double> im, int h, bool inverse)
    {
        if (h >= 4)
        {
            for (int s = 0; s < Length; s += 2 * h) Butterflies(re.Slice(s, 2 * h), im.Slice(s, 2 * h), h, inverse);
            return;
        }
        // Short butterflies: one loop over the whole array rather than a call per block.
        for (int s = 0; s < Length; s += 2 * h)
            for (int j = s; j < s + h; j++)
            {
                double xr = re[j], xi = im[j], yr = re[j + h], yi = im[j + h], c = _cos[h - 1 + j - s], sn = _sin[h - 1 + j - s];
                if (inverse)
                {
                    double tr = c * yr + sn * yi, ti = c * yi - sn * yr;
                    re[j] = xr + tr; im[j] = xi + ti; re[j + h] = xr - tr; im[j + h] = xi - ti;
                }
                else
                {
                    double dr = xr - yr, di = xi - yi;
                    re[j] = xr + yr; im[j] = xi + yi; re[j + h] = c * dr - sn * di; im[j + h] = c * di + sn * dr;
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Butterflies(Span<double> re, Span<double> im, int h, bool inverse)
    {
        var cos = _cos.AsSpan(h - 1, h);
        var sin = _sin.AsSpan(h - 1, h);
        int j = 0;
        if (Vector256.IsHardwareAccelerated && h >= 4)
        {
            ref double ar = ref re[0], ai = ref im[0], br = ref re[h], bi = ref im[h];
            ref double wc = ref cos[0], ws = ref sin[0];
            for (; j + 4 <= h; j += 4)
            {
                var xr = Vector256.LoadUnsafe(ref ar, (nuint)j); var xi = Vector256.LoadUnsafe(ref ai, (nuint)j);
                var yr = Vector256.LoadUnsafe(ref br, (nuint)j); var yi = Vector256.LoadUnsafe(ref bi, (nuint)j);
                var c = Vector256.LoadUnsafe(ref wc, (nuint)j); var s = Vector256.LoadUnsafe(ref ws, (nuint)j);
                if (inverse)
                {
                    // Decimation in time with conjugate twiddles: t = conj(w) * y; x + t, x - t.
                    var tr = c * yr + s * yi;
                    var ti = c * yi - s * yr;
                    (xr + tr).StoreUnsafe(ref ar, (nuint)j); (xi + ti).StoreUnsafe(ref ai, (nuint)j);
                    (xr - tr).StoreUnsafe(ref br, (nuint)j); (xi - ti).StoreUnsafe(ref bi, (nuint)j);
                }
                else
                {
                    // Decimation in frequency: x + y, (x - y) * w.
                    var dr = xr - yr; var di = xi - yi;
                    (xr + yr).StoreUnsafe(ref ar, (nuint)j); (xi + yi).StoreUnsafe(ref ai, (nuint)j);
                    (c * dr - s * di).StoreUnsafe(ref br, (nuint)j); (c * di + s * dr).StoreUnsafe(ref bi, (nuint)j);
                }
            }
        }
        for (; j < h; j++)
        {
            double xr = re[j], xi = im[j], yr = re[j + h], yi = im[j + h], c = cos[j], s = sin[j];
            if (inverse)
            {
                double tr = c * yr + s * yi, ti = c * yi - s * yr;
                re[j] = xr + tr; im[j] = xi + ti; re[j + h] = xr - tr; im[j + h] = xi - ti;
            }
            else
            {
                double dr = xr - yr, di = xi - yi;
                re[j] = xr + yr; im[j] = xi + yi; re[j + h] = c * dr - s * di; im[j + h] = c * di + s * dr;
            }
        }
    }
}
