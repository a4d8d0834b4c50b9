using ILGPU;

namespace ConvParity.Gpu.Kernels;

/// <summary>Weight adjoint, per group: A = dy (K/G x N*O), B = ext(x) unfolded (N*O x C/G*kvol), C = dw.</summary>
internal struct GradWeightsOperands : IGemmOperands
{
    public readonly float A(
        ConvGeometry g,
        ArrayView<float> x,
        ArrayView<float> dy,
        ArrayView<int> tables,
        int slice,
        int row,
        int depth
    )
    {
        int n = depth / g.OutVolume,
            k = slice * g.OutPerGroup + row;
        return dy[(n * g.OutChannels + k) * g.OutVolume + depth % g.OutVolume];
    }

    public readonly float B(
        ConvGeometry g,
        ArrayView<float> x,
        ArrayView<float> dy,
        ArrayView<int> tables,
        int slice,
        int depth,
        int column
    )
    {
        int n = depth / g.OutVolume,
            c = slice * g.InPerGroup + column / g.KernelVolume;
        int offset = g.InputOffset(tables, depth % g.OutVolume, g.WeightTap(column % g.KernelVolume));
        return offset >= 0 ? x[(n * g.InChannels + c) * g.InVolume + offset] : g.OutsideValue;
    }

    public readonly int ResultIndex(ConvGeometry g, int slice, int row, int column) =>
        (slice * g.OutPerGroup + row) * g.InPerGroup * g.KernelVolume + column;
}
