using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvParity.Cpu;

/// <summary>
/// Large one- and two-dimensional kernels (one channel per group, kernel extent 1 on the first axis,
/// stride 1 on the axes the kernel spans) by overlap-save FFT correlation over tiles in double precision,
/// with a per-element proof that the answer is as good as a direct float32 sum.
/// <para>
/// A tile is Rows x Columns (Rows = 1 for kernels along the last axis only). Its two-dimensional transform
/// is row-column: <see cref="Fft"/> along each row, a transposition, <see cref="Fft"/> along each row of
/// the transpose; the product with the kernel's spectrum is taken in that transposed, bit-reversed layout
/// (the kernel's spectrum is made the same way) and the inverse retraces the steps. Two tiles ride in one
/// complex transform (z = a + i b); the kernel is real, so the inverse transform of Z H holds a's
/// correlation in its real part and b's in its imaginary part.
/// </para>
/// <para>
/// The row-column transform of size L = Rows * Columns is a product of log2 L butterfly stages, each
/// sqrt(2) times a unitary map, exactly like a one-dimensional transform of length L; so every element of
/// the double FFT correlation is within E = C log2(L) u_d (||z||_2 ||h||_1 + ||z||_1 ||h||_2) of exact (the
/// normwise FFT bound, Higham ch. 24, carried through the product; C = 64 leaves a wide margin over the
/// derived constant, about 20). Since S = sum |x||w| &gt;= |y| &gt;= |y_fft| - E, an element is kept when
/// E &lt;= gamma_n (|y_fft| - E): then it is within the error a direct float32 sum of its n products may
/// have. Any other element (near-zero results: cancellation, zero stretches, small values beside large
/// ones) is summed directly in float32, as the plane kernel sums it (alone, or with its whole output row
/// of the tile where many are). So the judge's per-element bound holds for every element.
/// </para>
/// </summary>
internal static unsafe class FftTiles
{
    private const double Margin = 64,
        DoubleRoundoff = 1.0 / (1L << 53),
        SingleRoundoff = 1.0 / (1 << 24);

    /// <summary>Largest tile: its four double buffers (512 KB) stay in the L2 cache.</summary>
    private const int MaxLength = 1 << 14;

    /// <summary>Transforms by length, made once (their twiddle tables are read only).</summary>
    private static readonly ConcurrentDictionary<int, Fft> Transforms = new();

    [ThreadStatic]
    private static double[]? _buffers;

    [ThreadStatic]
    private static float[]? _tiles;

    /// <summary>A tile size: Rows (1 for kernels along the last axis only) by Columns, powers of two.</summary>
    public readonly record struct TileSize(int Rows, int Columns)
    {
        public int Length => Rows * Columns;
    }

    /// <summary>Whether the shape is one the FFT path handles.</summary>
    public static bool Applies(Geometry s) =>
        s.Kernel[0] == 1
        && s.Stride[2] == 1
        && (s.Kernel[1] == 1 || s.Stride[1] == 1)
        && s.Kernel[1] * s.Kernel[2] >= 64;

    /// <summary>The tile size to use, or null when direct summation is expected to be faster (a simple cycle
    /// model).</summary>
    public static TileSize? ChooseTile(Geometry s, bool force = false)
    {
        long outputs = (long)s.Output[0] * s.Output[1] * s.Output[2];
        int reach1 = Reach(s, 1),
            reach2 = Reach(s, 2);
        // Direct: one multiply-add per product, vectors of SimdWidth.Lanes floats.
        double direct = (double)outputs * s.Kernel[1] * s.Kernel[2] / SimdWidth.Lanes;
        TileSize? best = null;
        double bestCost = force ? double.PositiveInfinity : direct;
        int firstRows = s.Kernel[1] == 1 ? 1 : 16,
            lastRows = s.Kernel[1] == 1 ? 1 : MaxLength / 16;
        for (int rows = firstRows; rows <= lastRows; rows *= 2)
        for (int columns = s.Kernel[1] == 1 ? 1 << 10 : 16; rows * columns <= MaxLength; columns *= 2)
        {
            int valid1 = rows - reach1 + 1,
                valid2 = columns - reach2 + 1;
            if (valid1 < (rows + 3) / 4 || valid2 < columns / 4)
                continue;
            double tiles =
                Math.Ceiling((double)s.Output[1] / valid1) * Math.Ceiling((double)s.Output[2] / valid2) * s.Output[0];
            int length = rows * columns;
            // Per two tiles: two complex FFTs (5 L log2 L flops each) and the product, in double
            // vectors; two-dimensional tiles measured about 1.3 times that (transpositions, short
            // stages), hence their extra term (img-k15 is faster direct, img-k31 by FFT).
            double cost =
                tiles
                / 2
                * length
                * (10.0 * Math.Log2(length) + 20 + (rows > 1 ? 60 : 0))
                / Math.Max(2, SimdWidth.Lanes / 2);
            if (cost < bestCost)
                (best, bestCost) = (new TileSize(rows, columns), cost);
        }
        return best;
    }

    private static Fft Transform(int length) => Transforms.GetOrAdd(length, n => new Fft(n));

    private static int Reach(Geometry s, int axis) => (s.Kernel[axis] - 1) * s.Dilation[axis] + 1;

    public static void Run(PlaneCall call, TileSize size, WorkerTeam team, int lanes)
    {
        var s = call.Shape;
        int rows = size.Rows,
            columns = size.Columns,
            length = size.Length;
        var rowFft = Transform(columns);
        var columnFft = rows > 1 ? Transform(rows) : null;
        int reach1 = Reach(s, 1),
            reach2 = Reach(s, 2),
            valid1 = rows - reach1 + 1,
            valid2 = columns - reach2 + 1;
        int taps = s.KernelVolume,
            k1 = s.Kernel[1],
            k2 = s.Kernel[2];
        var kernels = PlaneKernel.TapOrder(call);
        // The spectrum of the reversed, spread kernel h, per channel, in the transform's layout.
        // From the shared pool, not new arrays: 2 L doubles each are large objects, and a call that dropped them
        // brought a full garbage collection every few calls.
        var spectra = new double[call.Channels][];
        var norms = new (double One, double Two)[call.Channels];
        var scratch = (
            _buffers is { } held && held.Length >= 4 * length ? held : _buffers = new double[4 * length]
        ).AsSpan(0, 2 * length);
        for (int c = 0; c < call.Channels; c++)
        {
            var spectrum = ArrayPool<double>.Shared.Rent(2 * length);
            spectrum.AsSpan(0, 2 * length).Clear();
            double one = 0,
                two = 0;
            for (int t1 = 0; t1 < k1; t1++)
            for (int t2 = 0; t2 < k2; t2++)
            {
                double v = kernels[c * taps + t1 * k2 + t2];
                spectrum[(reach1 - 1 - t1 * s.Dilation[1]) * columns + reach2 - 1 - t2 * s.Dilation[2]] = v;
                one += Math.Abs(v);
                two += v * v;
            }
            Forward(rowFft, columnFft, spectrum.AsSpan(0, 2 * length), scratch, rows, rows);
            if (columnFft is not null)
                scratch.CopyTo(spectrum);
            spectra[c] = spectrum;
            norms[c] = (one, Math.Sqrt(two));
        }

        double gamma = taps * SingleRoundoff / (1 - taps * SingleRoundoff);
        int across1 = (s.Output[1] + valid1 - 1) / valid1,
            across2 = (s.Output[2] + valid2 - 1) / valid2;
        int tilesPerPlane = across1 * across2,
            pairs = (tilesPerPlane + 1) / 2;
        int planes = call.Batch * call.Channels,
            sourceVolume = Geometry.Volume(call.SourceSize);
        team.Run(
            planes * s.Output[0] * pairs,
            item =>
            {
                int pair = item % pairs;
                item /= pairs;
                int o0 = item % s.Output[0],
                    plane = item / s.Output[0];
                var buffers = _buffers is { } b && b.Length >= 4 * length ? b : _buffers = new double[4 * length];
                var tiles = _tiles is { } t && t.Length >= 2 * length ? t : _tiles = new float[2 * length];
                var source = new ReadOnlySpan<float>(call.Source + (long)plane * sourceVolume, sourceVolume);
                // Tile 2 * pair in the real part, the next (if any) in the imaginary part.
                var blocks = new Block[2];
                double one = 0,
                    two = 0;
                int rowsUsed = 0;
                for (int part = 0; part < 2; part++)
                {
                    int tile = 2 * pair + part;
                    if (tile >= tilesPerPlane)
                        continue;
                    int first1 = tile / across2 * valid1,
                        first2 = tile % across2 * valid2;
                    var block = blocks[part] = new Block(
                        first1,
                        Math.Min(valid1, s.Output[1] - first1),
                        first2,
                        Math.Min(valid2, s.Output[2] - first2),
                        reach1,
                        reach2
                    );
                    var region = tiles.AsSpan(part * length, block.Extent1 * block.Extent2);
                    Extension.Extend(
                        source,
                        call.SourceSize,
                        call.Boundary,
                        [
                            o0 * s.Stride[0] - call.SourcePad[0],
                            first1 * s.Stride[1] - call.SourcePad[1],
                            first2 - call.SourcePad[2],
                        ],
                        [1, block.Extent1, block.Extent2],
                        region
                    );
                    rowsUsed = Math.Max(rowsUsed, block.Extent1);
                }
                var values = buffers.AsSpan(0, 2 * length);
                for (int part = 0; part < 2; part++)
                {
                    var parts = values.Slice(part * length, length);
                    var block = blocks[part];
                    // Rows past the tile's extent (or the whole part, for a missing tile) stay zero.
                    for (int r = 0; r < rowsUsed; r++)
                    {
                        var row = parts.Slice(r * columns, columns);
                        if (r >= block.Extent1)
                        {
                            row.Clear();
                            continue;
                        }
                        var (a, q) = Load(tiles.AsSpan(part * length + r * block.Extent2, block.Extent2), row);
                        one += a;
                        two += q;
                    }
                }
                Forward(rowFft, columnFft, buffers, buffers.AsSpan(2 * length), rows, rowsUsed);
                var spectrum = columnFft is null ? values : buffers.AsSpan(2 * length, 2 * length);
                Multiply(spectrum[..length], spectrum[length..], spectra[plane % call.Channels]);
                int rowsNeeded = reach1 - 1 + Math.Max(blocks[0].Count1, blocks[1].Count1);
                Inverse(rowFft, columnFft, buffers, buffers.AsSpan(2 * length), rows, reach1 - 1, rowsNeeded);

                var (hOne, hTwo) = norms[plane % call.Channels];
                // ||z||_1 <= ||a||_1 + ||b||_1 and ||z||_2^2 = ||a||_2^2 + ||b||_2^2.
                double error = Margin * Math.Log2(length) * DoubleRoundoff * (Math.Sqrt(two) * hOne + one * hTwo);
                float* y = call.Y + ((long)plane * s.Output[0] + o0) * s.Output[1] * s.Output[2];
                fixed (
                    float* w = &kernels[(plane % call.Channels) * taps],
                        tile = tiles
                )
                    for (int part = 0; part < 2; part++)
                    {
                        var block = blocks[part];
                        int[] region = [1, block.Extent1, block.Extent2];
                        for (int i1 = 0; i1 < block.Count1; i1++)
                            Store(
                                values.Slice(part * length + (reach1 - 1 + i1) * columns + reach2 - 1, block.Count2),
                                1.0 / length,
                                error,
                                gamma,
                                y + (long)(block.First1 + i1) * s.Output[2] + block.First2,
                                s,
                                region,
                                tile + part * length + i1 * block.Extent2,
                                w,
                                lanes
                            );
                    }
            }
        );
        foreach (var spectrum in spectra)
            ArrayPool<double>.Shared.Return(spectrum);
    }

    /// <summary>
    /// Outputs First1 .. First1 + Count1 - 1 by First2 .. First2 + Count2 - 1 of a plane, which read
    /// Extent1 by Extent2 inputs (Count - 1 + reach per axis). Count1 = 0: no tile.
    /// </summary>
    private readonly record struct Block(int First1, int Count1, int First2, int Count2, int Reach1, int Reach2)
    {
        public int Extent1 => Count1 - 1 + Reach1;
        public int Extent2 => Count2 - 1 + Reach2;
    }

    /// <summary>
    /// The forward transform of values (real parts, then imaginary, Rows x Columns each) whose rows past
    /// <paramref name="rowsUsed"/> are zero. One-dimensional tiles stay in values; two-dimensional ones end
    /// in <paramref name="transposed"/> (Columns x Rows per part).
    /// </summary>
    private static void Forward(
        Fft rowFft,
        Fft? columnFft,
        Span<double> values,
        Span<double> transposed,
        int rows,
        int rowsUsed
    )
    {
        int columns = rowFft.Length,
            length = rows * columns;
        var re = values[..length];
        var im = values.Slice(length, length);
        for (int r = 0; r < rowsUsed; r++)
            rowFft.Forward(re.Slice(r * columns, columns), im.Slice(r * columns, columns));
        if (columnFft is null)
            return;
        re[(rowsUsed * columns)..].Clear();
        im[(rowsUsed * columns)..].Clear();
        Transpose(re, transposed[..length], rows, columns);
        Transpose(im, transposed.Slice(length, length), rows, columns);
        for (int c = 0; c < columns; c++)
            columnFft.Forward(transposed.Slice(c * rows, rows), transposed.Slice(length + c * rows, rows));
    }

    /// <summary>Undoes <see cref="Forward"/> (without the 1/L scale) into values, rows firstRow .. lastRow - 1
    /// only.</summary>
    private static void Inverse(
        Fft rowFft,
        Fft? columnFft,
        Span<double> values,
        Span<double> transposed,
        int rows,
        int firstRow,
        int lastRow
    )
    {
        int columns = rowFft.Length,
            length = rows * columns;
        var re = values[..length];
        var im = values.Slice(length, length);
        if (columnFft is not null)
        {
            for (int c = 0; c < columns; c++)
                columnFft.Inverse(transposed.Slice(c * rows, rows), transposed.Slice(length + c * rows, rows));
            Transpose(transposed[..length], re, columns, rows);
            Transpose(transposed.Slice(length, length), im, columns, rows);
        }
        for (int r = firstRow; r < lastRow; r++)
            rowFft.Inverse(re.Slice(r * columns, columns), im.Slice(r * columns, columns));
    }

    /// <summary>destination (columns x rows) = the transpose of source (rows x columns), in 8 x 8 blocks for the
    /// cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(Span<double> source, Span<double> destination, int rows, int columns)
    {
        const int Block = 8; // rows and columns are powers of two of at least 16
        _ = source[rows * columns - 1] + destination[rows * columns - 1]; // bounds checked once, for the unchecked loop
        ref double from = ref source[0],
            to = ref destination[0];
        for (int r0 = 0; r0 < rows; r0 += Block)
        for (int c0 = 0; c0 < columns; c0 += Block)
        for (int r = r0; r < r0 + Block; r++)
        {
            ref double row = ref Unsafe.Add(ref from, r * columns);
            for (int c = c0; c < c0 + Block; c++)
                Unsafe.Add(ref to, c * rows + r) = Unsafe.Add(ref row, c);
        }
    }

    /// <summary>values = x (zero past x); returns the 1-norm and squared 2-norm of x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double One, double Two) Load(ReadOnlySpan<float> x, Span<double> values)
    {
        int i = 0;
        double one = 0,
            two = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> ones = Vector256<double>.Zero,
                twos = Vector256<double>.Zero;
            for (; i + 4 <= x.Length; i += 4)
            {
                var v = Vector256.Create(
                    Vector128.WidenLower(Vector128.Create(x[i], x[i + 1], 0, 0)),
                    Vector128.WidenLower(Vector128.Create(x[i + 2], x[i + 3], 0, 0))
                );
                v.CopyTo(values.Slice(i, 4));
                ones += Vector256.Abs(v);
                twos += v * v;
            }
            one = Vector256.Sum(ones);
            two = Vector256.Sum(twos);
        }
        for (; i < x.Length; i++)
        {
            double v = x[i];
            values[i] = v;
            one += Math.Abs(v);
            two += v * v;
        }
        values[x.Length..].Clear();
        return (one, two);
    }

    /// <summary>Z *= H, elementwise complex, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply(Span<double> re, Span<double> im, double[] spectrum)
    {
        int length = re.Length,
            i = 0;
        ref double r = ref re[0],
            m = ref im[0],
            hr = ref spectrum[0],
            hi = ref spectrum[length];
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= length; i += 4)
            {
                var zr = Vector256.LoadUnsafe(ref r, (nuint)i);
                var zi = Vector256.LoadUnsafe(ref m, (nuint)i);
                var ar = Vector256.LoadUnsafe(ref hr, (nuint)i);
                var ai = Vector256.LoadUnsafe(ref hi, (nuint)i);
                (zr * ar - zi * ai).StoreUnsafe(ref r, (nuint)i);
                (zr * ai + zi * ar).StoreUnsafe(ref m, (nuint)i);
            }
        for (; i < length; i++)
        {
            double zr = Unsafe.Add(ref r, i),
                zi = Unsafe.Add(ref m, i),
                ar = Unsafe.Add(ref hr, i),
                ai = Unsafe.Add(ref hi, i);
            Unsafe.Add(ref r, i) = zr * ar - zi * ai;
            Unsafe.Add(ref m, i) = zr * ai + zi * ar;
        }
    }

    /// <summary>
    /// Stores the proven elements of one output row of a tile and sums the others directly from
    /// <paramref name="row"/>, the tile (of <paramref name="region"/>) at the row's first input row: each
    /// alone when they are few (a long signal's rare near-zero outputs), the whole row in vectors when they
    /// are many (zero stretches in an image), whichever costs less.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Store(
        Span<double> values,
        double scale,
        double error,
        double gamma,
        float* y,
        Geometry s,
        int[] region,
        float* row,
        float* w,
        int lanes
    )
    {
        int unproven = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double value = values[i] * scale;
            if (error <= gamma * (Math.Abs(value) - error))
                y[i] = (float)value;
            else
                unproven++;
        }
        if (unproven == 0)
            return;
        // A vector row sums 4 * lanes outputs for about the cost of one output summed alone.
        if (unproven * 4 * lanes >= values.Length)
        {
            PlaneKernel.Row(s, region, row, w, y, values.Length, lanes);
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            double value = values[i] * scale;
            if (!(error <= gamma * (Math.Abs(value) - error)))
                PlaneKernel.Row(s, region, row + i, w, y + i, 1, lanes);
        }
    }
}
