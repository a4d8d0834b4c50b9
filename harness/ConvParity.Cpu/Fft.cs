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
    private readonly double[] _cos,
        _sin; // stage with half-length h: entries h-1 .. 2h-2, angle -2 pi j / 2h

    public Fft(int length)
    {
        if (length < 2 || (length & (length - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, "a power of two, at least 2");
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
        for (int i = 0; i < length; i++)
            Partner[i] = Reverse((length - Reverse(i, bits)) & (length - 1), bits);
    }

    public int Length { get; }

    public int Log2 => System.Numerics.BitOperations.Log2((uint)Length);

    /// <summary>Partner[i]: the bit-reversed position of frequency -f where position i holds frequency f.</summary>
    public int[] Partner { get; }

    private static int Reverse(int value, int bits)
    {
        int result = 0;
        for (int b = 0; b < bits; b++, value >>= 1)
            result = (result << 1) | (value & 1);
        return result;
    }

    /// <summary>In place; the result is in bit-reversed order.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        int h = Length / 2;
        for (; h >= 8 && Vector256.IsHardwareAccelerated; h /= 4)
            PairedStages(re, im, h, inverse: false);
        for (; h >= 4; h /= 2)
            Stage(re, im, h, inverse: false);
        if (h == 2)
            ShortStages(re, im, inverse: false);
        else
            Stage(re, im, 1, inverse: false);
    }

    /// <summary>In place, from bit-reversed order to natural order, without the 1/L scale.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        int h = 1;
        if (Length >= 4)
        {
            ShortStages(re, im, inverse: true);
            h = 4;
        }
        for (; 2 * h < Length && Vector256.IsHardwareAccelerated; h *= 4)
            PairedStages(re, im, 2 * h, inverse: true);
        for (; h < Length; h *= 2)
            Stage(re, im, h, inverse: true);
    }

    /// <summary>
    /// The two stages with half-lengths 2 and 1 in one pass over groups of four: their twiddles are 1 and
    /// -i (forward) or +i (inverse), so they are additions and swaps only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ShortStages(Span<double> re, Span<double> im, bool inverse)
    {
        ref double r = ref re[0],
            i = ref im[0];
        for (int s = 0; s + 4 <= Length; s += 4)
        {
            ref double r0 = ref Unsafe.Add(ref r, s),
                i0 = ref Unsafe.Add(ref i, s);
            double x0r = r0,
                x1r = Unsafe.Add(ref r0, 1),
                x2r = Unsafe.Add(ref r0, 2),
                x3r = Unsafe.Add(ref r0, 3);
            double x0i = i0,
                x1i = Unsafe.Add(ref i0, 1),
                x2i = Unsafe.Add(ref i0, 2),
                x3i = Unsafe.Add(ref i0, 3);
            if (!inverse)
            {
                // Half-length 2: (x0 + x2, x1 + x3, x0 - x2, (x1 - x3) * -i); then half-length 1 on pairs.
                double y0r = x0r + x2r,
                    y0i = x0i + x2i,
                    y1r = x1r + x3r,
                    y1i = x1i + x3i;
                double y2r = x0r - x2r,
                    y2i = x0i - x2i,
                    y3r = x1i - x3i,
                    y3i = x3r - x1r;
                r0 = y0r + y1r;
                i0 = y0i + y1i;
                Unsafe.Add(ref r0, 1) = y0r - y1r;
                Unsafe.Add(ref i0, 1) = y0i - y1i;
                Unsafe.Add(ref r0, 2) = y2r + y3r;
                Unsafe.Add(ref i0, 2) = y2i + y3i;
                Unsafe.Add(ref r0, 3) = y2r - y3r;
                Unsafe.Add(ref i0, 3) = y2i - y3i;
            }
            else
            {
                // Half-length 1 on pairs, then half-length 2 with twiddles 1 and +i.
                double y0r = x0r + x1r,
                    y0i = x0i + x1i,
                    y1r = x0r - x1r,
                    y1i = x0i - x1i;
                double y2r = x2r + x3r,
                    y2i = x2i + x3i,
                    y3r = x2r - x3r,
                    y3i = x2i - x3i;
                double tr = -y3i,
                    ti = y3r;
                r0 = y0r + y2r;
                i0 = y0i + y2i;
                Unsafe.Add(ref r0, 2) = y0r - y2r;
                Unsafe.Add(ref i0, 2) = y0i - y2i;
                Unsafe.Add(ref r0, 1) = y1r + tr;
                Unsafe.Add(ref i0, 1) = y1i + ti;
                Unsafe.Add(ref r0, 3) = y1r - tr;
                Unsafe.Add(ref i0, 3) = y1i - ti;
            }
        }
    }

    private void Stage(Span<double> re, Span<double> im, int h, bool inverse)
    {
        if (h >= 4)
        {
            for (int s = 0; s < Length; s += 2 * h)
                Butterflies(re.Slice(s, 2 * h), im.Slice(s, 2 * h), h, inverse);
            return;
        }
        // Short butterflies: one loop over the whole array rather than a call per block.
        for (int s = 0; s < Length; s += 2 * h)
        for (int j = s; j < s + h; j++)
            Butterfly(re, im, j, h, _cos[h - 1 + j - s], _sin[h - 1 + j - s], inverse);
    }

    /// <summary>
    /// The stages with half-lengths h and h / 2 (h &gt;= 8) in one pass: each group of four vectors is
    /// loaded once, run through both stages in registers and stored once, halving the memory traffic.
    /// The arithmetic is that of two <see cref="Stage"/> calls, operation for operation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PairedStages(Span<double> re, Span<double> im, int h, bool inverse)
    {
        int q = h / 2;
        ref double outerCos = ref _cos[h - 1],
            outerSin = ref _sin[h - 1],
            innerCos = ref _cos[q - 1],
            innerSin = ref _sin[q - 1];
        for (int s = 0; s < Length; s += 2 * h)
        {
            ref double r = ref re[s],
                m = ref im[s];
            for (int j = 0; j < q; j += 4)
            {
                nuint a = (nuint)j,
                    b = (nuint)(j + q),
                    c = (nuint)(j + h),
                    d = (nuint)(j + h + q);
                var ar = Vector256.LoadUnsafe(ref r, a);
                var ai = Vector256.LoadUnsafe(ref m, a);
                var br = Vector256.LoadUnsafe(ref r, b);
                var bi = Vector256.LoadUnsafe(ref m, b);
                var cr = Vector256.LoadUnsafe(ref r, c);
                var ci = Vector256.LoadUnsafe(ref m, c);
                var dr = Vector256.LoadUnsafe(ref r, d);
                var di = Vector256.LoadUnsafe(ref m, d);
                var wac = Vector256.LoadUnsafe(ref outerCos, a);
                var was = Vector256.LoadUnsafe(ref outerSin, a);
                var wbc = Vector256.LoadUnsafe(ref outerCos, b);
                var wbs = Vector256.LoadUnsafe(ref outerSin, b);
                var vc = Vector256.LoadUnsafe(ref innerCos, a);
                var vs = Vector256.LoadUnsafe(ref innerSin, a);
                if (!inverse)
                {
                    // Half-length h: (a, c) and (b, d); then h / 2: (a, b) and (c, d), as in Butterflies.
                    (ar, ai, cr, ci) = (
                        ar + cr,
                        ai + ci,
                        wac * (ar - cr) - was * (ai - ci),
                        wac * (ai - ci) + was * (ar - cr)
                    );
                    (br, bi, dr, di) = (
                        br + dr,
                        bi + di,
                        wbc * (br - dr) - wbs * (bi - di),
                        wbc * (bi - di) + wbs * (br - dr)
                    );
                    (ar, ai, br, bi) = (
                        ar + br,
                        ai + bi,
                        vc * (ar - br) - vs * (ai - bi),
                        vc * (ai - bi) + vs * (ar - br)
                    );
                    (cr, ci, dr, di) = (
                        cr + dr,
                        ci + di,
                        vc * (cr - dr) - vs * (ci - di),
                        vc * (ci - di) + vs * (cr - dr)
                    );
                }
                else
                {
                    // Half-length h / 2: (a, b) and (c, d); then h: (a, c) and (b, d), as in Butterflies.
                    var tr = vc * br + vs * bi;
                    var ti = vc * bi - vs * br;
                    (ar, ai, br, bi) = (ar + tr, ai + ti, ar - tr, ai - ti);
                    tr = vc * dr + vs * di;
                    ti = vc * di - vs * dr;
                    (cr, ci, dr, di) = (cr + tr, ci + ti, cr - tr, ci - ti);
                    tr = wac * cr + was * ci;
                    ti = wac * ci - was * cr;
                    (ar, ai, cr, ci) = (ar + tr, ai + ti, ar - tr, ai - ti);
                    tr = wbc * dr + wbs * di;
                    ti = wbc * di - wbs * dr;
                    (br, bi, dr, di) = (br + tr, bi + ti, br - tr, bi - ti);
                }
                ar.StoreUnsafe(ref r, a);
                ai.StoreUnsafe(ref m, a);
                br.StoreUnsafe(ref r, b);
                bi.StoreUnsafe(ref m, b);
                cr.StoreUnsafe(ref r, c);
                ci.StoreUnsafe(ref m, c);
                dr.StoreUnsafe(ref r, d);
                di.StoreUnsafe(ref m, d);
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
            ref double ar = ref re[0],
                ai = ref im[0],
                br = ref re[h],
                bi = ref im[h];
            ref double wc = ref cos[0],
                ws = ref sin[0];
            for (; j + 4 <= h; j += 4)
            {
                var xr = Vector256.LoadUnsafe(ref ar, (nuint)j);
                var xi = Vector256.LoadUnsafe(ref ai, (nuint)j);
                var yr = Vector256.LoadUnsafe(ref br, (nuint)j);
                var yi = Vector256.LoadUnsafe(ref bi, (nuint)j);
                var c = Vector256.LoadUnsafe(ref wc, (nuint)j);
                var s = Vector256.LoadUnsafe(ref ws, (nuint)j);
                if (inverse)
                {
                    // Decimation in time with conjugate twiddles: t = conj(w) * y; x + t, x - t.
                    var tr = c * yr + s * yi;
                    var ti = c * yi - s * yr;
                    (xr + tr).StoreUnsafe(ref ar, (nuint)j);
                    (xi + ti).StoreUnsafe(ref ai, (nuint)j);
                    (xr - tr).StoreUnsafe(ref br, (nuint)j);
                    (xi - ti).StoreUnsafe(ref bi, (nuint)j);
                }
                else
                {
                    // Decimation in frequency: x + y, (x - y) * w.
                    var dr = xr - yr;
                    var di = xi - yi;
                    (xr + yr).StoreUnsafe(ref ar, (nuint)j);
                    (xi + yi).StoreUnsafe(ref ai, (nuint)j);
                    (c * dr - s * di).StoreUnsafe(ref br, (nuint)j);
                    (c * di + s * dr).StoreUnsafe(ref bi, (nuint)j);
                }
            }
        }
        for (; j < h; j++)
            Butterfly(re, im, j, h, cos[j], sin[j], inverse);
    }

    /// <summary>
    /// One butterfly on elements j and j + h with twiddle (c, s): decimation in frequency forward,
    /// (x + y, (x - y) w); in time with the conjugate twiddle inverse, (x + t, x - t), t = conj(w) y.
    /// The scalar form of the vector loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(Span<double> re, Span<double> im, int j, int h, double c, double s, bool inverse)
    {
        double xr = re[j],
            xi = im[j],
            yr = re[j + h],
            yi = im[j + h];
        if (inverse)
        {
            double tr = c * yr + s * yi,
                ti = c * yi - s * yr;
            re[j] = xr + tr;
            im[j] = xi + ti;
            re[j + h] = xr - tr;
            im[j + h] = xi - ti;
        }
        else
        {
            double dr = xr - yr,
                di = xi - yi;
            re[j] = xr + yr;
            im[j] = xi + yi;
            re[j + h] = c * dr - s * di;
            im[j + h] = c * di + s * dr;
        }
    }
}
