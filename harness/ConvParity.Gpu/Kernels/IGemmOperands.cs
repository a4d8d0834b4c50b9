using ILGPU;

namespace ConvParity.Gpu.Kernels;

/// <summary>How an operation reads A[slice][row, depth] and B[slice][depth, column] and where C[slice][row, column]
/// goes.</summary>
internal interface IGemmOperands
{
    float A(
        ConvGeometry g,
        ArrayView<float> first,
        ArrayView<float> second,
        ArrayView<int> tables,
        int slice,
        int row,
        int depth
    );
    float B(
        ConvGeometry g,
        ArrayView<float> first,
        ArrayView<float> second,
        ArrayView<int> tables,
        int slice,
        int depth,
        int column
    );
    int ResultIndex(ConvGeometry g, int slice, int row, int column);
}
