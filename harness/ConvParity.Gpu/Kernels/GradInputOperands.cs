using ILGPU;

namespace ConvParity.Gpu.Kernels;

/// <summary>
/// Input adjoint (stride 1, constant boundary), per image n and group: A = w transposed per tap
/// (C/G x K/G*kvol), B[(k, j), i] = dy[n, k, i + pad - j * dilation] where that output exists, C = dx.
/// </summary>
internal struct GradInputOperands : IGemmOperands
{
    public readonly float A(
        ConvGeometry g,
        ArrayView<float> dy,
        ArrayView<float> w,
        ArrayView<int> tables,
        int slice,
        int row,
        int depth
    )
    {
        int k = slice % g.Groups * g.OutPerGroup + depth / g.KernelVolume;
        return w[(k * g.InPerGroup + row) * g.KernelVolume + g.WeightTap(depth % g.KernelVolume)];
    }

    public readonly float B(
        ConvGeometry g,
        ArrayView<float> dy,
        ArrayView<float> w,
        ArrayView<int> tables,
        int slice,
        int depth,
        int column
    )
    {
        int n = slice / g.Groups,
            k = slice % g.Groups * g.OutPerGroup + depth / g.KernelVolume;
        int j = depth % g.KernelVolume;
        int j2 = j % g.Ker2,
            j1 = j / g.Ker2 % g.Ker1,
            j0 = j / g.Ker2 / g.Ker1;
        int i2 = column % g.In2,
            i1 = column / g.In2 % g.In1,
            i0 = column / g.In2 / g.In1;
        int o0 = i0 + g.Pad0 - j0 * g.Dil0,
            o1 = i1 + g.Pad1 - j1 * g.Dil1,
            o2 = i2 + g.Pad2 - j2 * g.Dil2;
        bool exists = o0 >= 0 && o0 < g.Out0 && o1 >= 0 && o1 < g.Out1 && o2 >= 0 && o2 < g.Out2;
        return exists ? dy[(n * g.OutChannels + k) * g.OutVolume + (o0 * g.Out1 + o1) * g.Out2 + o2] : 0f;
    }

    public readonly int ResultIndex(ConvGeometry g, int slice, int row, int column)
    {
        int n = slice / g.Groups,
            c = slice % g.Groups * g.InPerGroup + row;
        return (n * g.InChannels + c) * g.InVolume + column;
    }
}
