namespace ConvParity.Gpu;

/// <summary>How <see cref="GpuEngine"/> picks its kernel.</summary>
public enum GpuKernelPolicy
{
    /// <summary>Implicit GEMM for channel-heavy problems where it applies (a full tile of rows, depth of four tiles or
    /// more), direct otherwise.</summary>
    Auto,

    /// <summary>The direct kernel always.</summary>
    DirectOnly,

    /// <summary>Implicit GEMM wherever it applies (shared weights; input adjoint with stride 1 and a constant boundary;
    /// finite A), direct elsewhere.</summary>
    PreferImplicitGemm,
}
