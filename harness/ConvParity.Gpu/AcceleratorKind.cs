namespace ConvParity.Gpu;

/// <summary>The kinds of ILGPU accelerator the GPU engine runs on, in the order it prefers them.</summary>
public enum AcceleratorKind
{
    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda,

    /// <summary>A GPU through OpenCL 2.0 or later (ILGPU refuses devices without generic address spaces).</summary>
    OpenCL,

    /// <summary>ILGPU's CPU accelerator: a simulator of a GPU on the CPU, correct and slow; present
    /// everywhere.</summary>
    Cpu,
}
