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

    /// <summary>The 2 * Lanes floats from <paramref name="from"/> on, the even-indexed ones to
    /// <paramref name="even"/> and the odd-indexed ones to <paramref name="odd"/>, Lanes each.</summary>
    static abstract void Unzip(float* from, float* even, float* odd);
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
    public static void Unzip(float* from, float* even, float* odd)
    {
        // One two-source permute (vpermt2ps) for each half. Pairing the halves of two one-source shuffles instead
        // (Vector512.Create of two Vector256) went through the stack at every call: a stride-2 depthwise layer
        // spent a quarter of its time splitting its tiles.
        if (!Avx512F.IsSupported)
        {
            // 512-bit vectors emulated (the width forced on a CPU without it, as the tests do): one float at a time.
            for (int i = 0; i < Lanes; i++)
                (even[i], odd[i]) = (from[2 * i], from[2 * i + 1]);
            return;
        }
        var first = Vector512.Load(from);
        var second = Vector512.Load(from + Lanes);
        var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        Avx512F.PermuteVar16x32x2(first, evens, second).Store(even);
        Avx512F.PermuteVar16x32x2(first, evens + Vector512<int>.One, second).Store(odd);
    }
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
    public static void Unzip(float* from, float* even, float* odd)
    {
        // Each vector's evens to its lower half and odds to its upper half, then the halves paired.
        var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var a = Vector256.Shuffle(Vector256.Load(from), order);
        var b = Vector256.Shuffle(Vector256.Load(from + Lanes), order);
        Vector256.Create(a.GetLower(), b.GetLower()).Store(even);
        Vector256.Create(a.GetUpper(), b.GetUpper()).Store(odd);
    }
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
    public static void Unzip(float* from, float* even, float* odd)
    {
        // Each vector's evens to its lower half and odds to its upper half, then the halves paired.
        var order = Vector128.Create(0, 2, 1, 3);
        var a = Vector128.Shuffle(Vector128.Load(from), order);
        var b = Vector128.Shuffle(Vector128.Load(from + Lanes), order);
        Vector128.Create(a.GetLower(), b.GetLower()).Store(even);
        Vector128.Create(a.GetUpper(), b.GetUpper()).Store(odd);
    }
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
