using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvParity.Bench;

/// <summary>
/// Measures the machine's fused multiply-add peak: independent multiply-add chains on the widest
/// accelerated vectors, enough of them to cover the latency, on each of the given threads at once.
/// </summary>
public static class FmaPeak
{
    /// <summary>GFLOP/s (2 per multiply-add) of <paramref name="threads"/> threads together.</summary>
    public static double Measure(int threads)
    {
        const int rounds = 20_000_000;
        double best = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var clock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() => Chains(rounds))).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            double seconds = clock.Elapsed.TotalSeconds;
            best = Math.Max(best, threads * (double)rounds * 12 * Lanes * 2 / seconds / 1e9);
        }
        return best;
    }

    private static int Lanes =>
        Vector512.IsHardwareAccelerated ? 16
        : Vector256.IsHardwareAccelerated ? 8
        : 4;

    private static float Chains(int rounds) =>
        Vector512.IsHardwareAccelerated ? Chains512(rounds)
        : Vector256.IsHardwareAccelerated ? Chains256(rounds)
        : Chains128(rounds);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains512(int rounds)
    {
        var m = Vector512.Create(0.999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = m,
            a1 = m,
            a2 = m,
            a3 = m,
            a4 = m,
            a5 = m,
            a6 = m,
            a7 = m,
            a8 = m,
            a9 = m,
            a10 = m,
            a11 = m;
        for (int i = 0; i < rounds; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains256(int rounds)
    {
        var m = Vector256.Create(0.999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = m,
            a1 = m,
            a2 = m,
            a3 = m,
            a4 = m,
            a5 = m,
            a6 = m,
            a7 = m,
            a8 = m,
            a9 = m,
            a10 = m,
            a11 = m;
        for (int i = 0; i < rounds; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c);
            a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c);
            a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c);
            a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c);
            a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains128(int rounds)
    {
        var m = Vector128.Create(0.999999f);
        var c = Vector128.Create(1e-7f);
        Vector128<float> a0 = m,
            a1 = m,
            a2 = m,
            a3 = m,
            a4 = m,
            a5 = m,
            a6 = m,
            a7 = m,
            a8 = m,
            a9 = m,
            a10 = m,
            a11 = m;
        for (int i = 0; i < rounds; i++)
        {
            a0 = Vector128.MultiplyAddEstimate(a0, m, c);
            a1 = Vector128.MultiplyAddEstimate(a1, m, c);
            a2 = Vector128.MultiplyAddEstimate(a2, m, c);
            a3 = Vector128.MultiplyAddEstimate(a3, m, c);
            a4 = Vector128.MultiplyAddEstimate(a4, m, c);
            a5 = Vector128.MultiplyAddEstimate(a5, m, c);
            a6 = Vector128.MultiplyAddEstimate(a6, m, c);
            a7 = Vector128.MultiplyAddEstimate(a7, m, c);
            a8 = Vector128.MultiplyAddEstimate(a8, m, c);
            a9 = Vector128.MultiplyAddEstimate(a9, m, c);
            a10 = Vector128.MultiplyAddEstimate(a10, m, c);
            a11 = Vector128.MultiplyAddEstimate(a11, m, c);
        }
        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
