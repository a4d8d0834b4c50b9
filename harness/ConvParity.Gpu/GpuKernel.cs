namespace ConvParity.Gpu;

/// <summary>Which kernel computes a map.</summary>
public enum GpuKernel
{
    /// <summary>One thread per result element, summing its terms in order.</summary>
    Direct,

    /// <summary>Tiled matrix product through shared memory, the matrices read through index tables (never
    /// formed).</summary>
    ImplicitGemm,
}
