namespace ConvParity.Gpu.Kernels;

/// <summary>The dimensions of one implicit GEMM launch.</summary>
internal struct GemmShape
{
    public int Slices,
        Rows,
        Columns,
        Depth,
        Tile,
        Step,
        RowTiles,
        ColumnTiles;

    public readonly int ThreadGroups => Slices * RowTiles * ColumnTiles;

    public readonly int SharedFloats => 2 * Tile * Step;
}
