using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

[module: SkipLocalsInit]

namespace ConvParity.Cpu;

/// <summary>
/// The few vector operations the microkernels use, over one vector width. The kernels are generic over
/// an implementation (a struct), so the JIT compiles one specialised copy per width with no calls left.
/// MultiplyAddEstimate is a fused multiply-add where the CPU has one and a multiply then an add
/// elsewhere: both are correct float32 arithmetic under the gamma_n bound.
/// </summary>
internal unsafe interface ISimd<TVec>
    where TVec : struct
{
    static abstract int Lanes { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Load(float* p);
    static abstract TVec Broadcast(float value);
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
    static abstract void Store(TVec v, float* p);

    /// <summary>The 2 * Lanes floats of <paramref name="a"/> then <paramref name="b"/>: the even-indexed ones in
    /// <paramref name="even"/>, the odd-indexed ones in <paramref name="odd"/>.</summary>
    static abstract void Unzip(TVec a, TVec b, out TVec even, out TVec odd);

    /// <summary>Whether <see cref="MaskLoad"/> and <see cref="MaskStore"/> are instructions here (AVX-512 for 16
    /// lanes, AVX for 8 and 4); where not, they must not be called.</summary>
    static abstract bool MasksInHardware { get; }

    /// <summary>A mask of the first <paramref name="count"/> lanes (none for 0 or less, all for Lanes or
    /// more).</summary>
    static abstract TVec Mask(int count);

    /// <summary>The lanes of <paramref name="mask"/> loaded from <paramref name="p"/>, the others from
    /// <paramref name="fill"/>; memory under the other lanes is not touched, so it may lie past a buffer's
    /// end.</summary>
    static abstract TVec MaskLoad(float* p, TVec mask, TVec fill);

    /// <summary>Stores the lanes of <paramref name="mask"/> of <paramref name="v"/> to <paramref name="p"/> and
    /// touches no other memory.</summary>
    static abstract void MaskStore(float* p, TVec mask, TVec v);
}

internal unsafe struct Simd512 : ISimd<Vector512<float>>
{
    public static int Lanes => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p) => Vector512.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> v, float* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unzip(
        Vector512<float> a,
        Vector512<float> b,
        out Vector512<float> even,
        out Vector512<float> odd
    )
    {
        // One two-source permute (vpermt2ps) for each half. Pairing the halves of two one-source shuffles instead
        // (Vector512.Create of two Vector256) went through the stack at every call: a stride-2 depthwise layer
        // spent a quarter of its time splitting its tiles.
        var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        if (Avx512F.IsSupported)
        {
            even = Avx512F.PermuteVar16x32x2(a, evens, b);
            odd = Avx512F.PermuteVar16x32x2(a, evens + Vector512<int>.One, b);
            return;
        }
        // 512-bit vectors emulated (the width forced on a CPU without it, as the tests do).
        var order = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
        var shuffledA = Vector512.Shuffle(a, order);
        var shuffledB = Vector512.Shuffle(b, order);
        even = Vector512.Create(shuffledA.GetLower(), shuffledB.GetLower());
        odd = Vector512.Create(shuffledA.GetUpper(), shuffledB.GetUpper());
    }

    public static bool MasksInHardware => Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaskLoad(float* p, Vector512<float> mask, Vector512<float> fill) =>
        Avx512F.MaskLoad(p, mask, fill);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaskStore(float* p, Vector512<float> mask, Vector512<float> v) => Avx512F.MaskStore(p, mask, v);
}

internal unsafe struct Simd256 : ISimd<Vector256<float>>
{
    public static int Lanes => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> v, float* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unzip(
        Vector256<float> a,
        Vector256<float> b,
        out Vector256<float> even,
        out Vector256<float> odd
    )
    {
        // Each vector's evens to its lower half and odds to its upper half, then the halves paired.
        var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var shuffledA = Vector256.Shuffle(a, order);
        var shuffledB = Vector256.Shuffle(b, order);
        even = Vector256.Create(shuffledA.GetLower(), shuffledB.GetLower());
        odd = Vector256.Create(shuffledA.GetUpper(), shuffledB.GetUpper());
    }

    public static bool MasksInHardware => Avx.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Mask(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaskLoad(float* p, Vector256<float> mask, Vector256<float> fill) =>
        Vector256.ConditionalSelect(mask, Avx.MaskLoad(p, mask), fill);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaskStore(float* p, Vector256<float> mask, Vector256<float> v) => Avx.MaskStore(p, mask, v);
}

internal unsafe struct Simd128 : ISimd<Vector128<float>>
{
    public static int Lanes => Vector128<float>.Count;
    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* p) => Vector128.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> v, float* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unzip(
        Vector128<float> a,
        Vector128<float> b,
        out Vector128<float> even,
        out Vector128<float> odd
    )
    {
        // Each vector's evens to its lower half and odds to its upper half, then the halves paired.
        var order = Vector128.Create(0, 2, 1, 3);
        var shuffledA = Vector128.Shuffle(a, order);
        var shuffledB = Vector128.Shuffle(b, order);
        even = Vector128.Create(shuffledA.GetLower(), shuffledB.GetLower());
        odd = Vector128.Create(shuffledA.GetUpper(), shuffledB.GetUpper());
    }

    public static bool MasksInHardware => Avx.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Mask(int count) =>
        Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaskLoad(float* p, Vector128<float> mask, Vector128<float> fill) =>
        Vector128.ConditionalSelect(mask, Avx.MaskLoad(p, mask), fill);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaskStore(float* p, Vector128<float> mask, Vector128<float> v) => Avx.MaskStore(p, mask, v);
}

/// <summary>Which vector width this CPU runs best, decided once.</summary>
internal static class SimdWidth
{
    /// <summary>Floats per vector of the widest accelerated width: 16 (AVX-512), 8 (AVX2 / Vector256) or 4.</summary>
    public static int Lanes { get; } =
        Vector512.IsHardwareAccelerated ? 16
        : Vector256.IsHardwareAccelerated ? 8
        : 4;

    /// <summary>The instruction set in words, for reports.</summary>
    public static string Description =>
        Lanes switch
        {
            16 => "AVX-512 (Vector512)",
            8 => "AVX2 (Vector256)",
            _ => Vector128.IsHardwareAccelerated ? "Vector128" : "portable (software vectors)",
        };
}
