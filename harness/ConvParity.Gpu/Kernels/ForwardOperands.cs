using ILGPU;

namespace ConvParity.Gpu.Kernels;

/// <summary>Forward, per image n and group: A = w (K/G x C/G*kvol), B = ext(x) unfolded (C/G*kvol x O), C =
/// y.</summary>
internal struct ForwardOperands : IGemmOperands
{
    public readonly float A(
        ConvGeometry g,
        ArrayView<float> x,
        ArrayView<float> w,
        ArrayView<int> tables,
        int slice,
        int row,
        int depth
    )
    {
        int k = slice % g.Groups * g.OutPerGroup + row;
        return w[(k * g.InPerGroup + depth / g.KernelVolume) * g.KernelVolume + g.WeightTap(depth % g.KernelVolume)];
    }

    public readonly float B(
        ConvGeometry g,
        ArrayView<float> x,
        ArrayView<float> w,
        ArrayView<int> tables,
        int slice,
        int depth,
        int column
    )
    {
        int n = slice / g.Groups,
            c = slice % g.Groups * g.InPerGroup + depth / g.KernelVolume;
        int offset = g.InputOffset(tables, column, depth % g.KernelVolume);
        return offset >= 0 ? x[(n * g.InChannels + c) * g.InVolume + offset] : g.OutsideValue;
    }

    public readonly int ResultIndex(ConvGeometry g, int slice, int row, int column)
    {
        int n = slice / g.Groups,
            k = slice % g.Groups * g.OutPerGroup + row;
        return (n * g.OutChannels + k) * g.OutVolume + column;
    }
}
