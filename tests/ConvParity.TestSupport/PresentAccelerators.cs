using ConvParity.Gpu;

namespace ConvParity.Tests;

/// <summary>The accelerators the GPU tests run on: every one ILGPU finds on this machine.</summary>
public static class PresentAccelerators
{
    /// <summary>GpuDevice.PresentKinds as a property, which NUnit can name as a source (the method has an
    /// overload).</summary>
    public static IEnumerable<AcceleratorKind> Kinds => GpuDevice.PresentKinds();
}
