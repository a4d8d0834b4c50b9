using ConvParity.Problems;
using ILGPU;

namespace ConvParity.Gpu.Kernels;

/// <summary>
/// The three maps as matrix products C = A B, one per slice (an image and a group, or a group), with
/// the matrices never formed: A and B are read through the index tables as the tiles are filled
/// (implicit GEMM). A group of Tile x Tile threads computes a Tile x Tile block of C, staging a tile of
/// A and a tile of B in shared memory per step along the depth; each thread sums its element in a
/// fixed order, so results are deterministic.
/// <para>
/// Terms absent from the sum (zero-boundary taps outside the input, outputs beyond the edge) enter B
/// as zeros. A zero times a finite A is zero, so only operands whose A is finite may use this kernel;
/// <see cref="Applies"/> says when.
/// </para>
/// </summary>
internal static class ImplicitGemm
{
    /// <summary>
    /// Whether the kernel computes <paramref name="operation"/> of <paramref name="p"/> with the reference's
    /// meaning. A is always the second operand (w, w, dy): <paramref name="secondIsFinite"/> says whether it is finite.
    /// </summary>
    public static bool Applies(ConvProblem p, ConvOperation operation, bool secondIsFinite) =>
        secondIsFinite
        && !p.Unshared
        && (
            operation != ConvOperation.GradInput
            ||
            // The input adjoint as one product needs each input element read by one position per tap:
            // stride 1 (no phases) and a constant boundary (no folded-back positions).
            (p.Boundary.ReadsConstant && p.Stride.All(s => s == 1))
        );

    /// <summary>The product's dimensions for <paramref name="operation"/>.</summary>
    public static GemmShape Shape(ConvGeometry g, ConvOperation operation, int tile)
    {
        var (slices, rows, columns, depth) = operation switch
        {
            ConvOperation.Forward => (g.Batch * g.Groups, g.OutPerGroup, g.OutVolume, g.InPerGroup * g.KernelVolume),
            ConvOperation.GradInput => (g.Batch * g.Groups, g.InPerGroup, g.InVolume, g.OutPerGroup * g.KernelVolume),
            ConvOperation.GradWeights => (
                g.Groups,
                g.OutPerGroup,
                g.InPerGroup * g.KernelVolume,
                g.Batch * g.OutVolume
            ),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
        return new GemmShape
        {
            Slices = slices,
            Rows = rows,
            Columns = columns,
            Depth = depth,
            Tile = tile,
            // 16 deep per stage on the CPU accelerator (tile 4) and on GPUs (tile 16)
            Step = tile * Math.Max(1, 16 / tile),
            RowTiles = (rows + tile - 1) / tile,
            ColumnTiles = (columns + tile - 1) / tile,
        };
    }

    /// <summary>
    /// The kernel: launch with <see cref="GemmShape.ThreadGroups"/> groups of (Tile, Tile) threads and
    /// <see cref="GemmShape.SharedFloats"/> floats of dynamic shared memory. Each stage stages Step
    /// (a multiple of Tile) steps of depth, each thread loading Step / Tile elements of each tile, so
    /// small groups (the CPU accelerator's 4 x 4) still meet few barriers.
    /// </summary>
    public static void Kernel<TOperands>(
        ConvGeometry g,
        GemmShape s,
        ArrayView<float> first,
        ArrayView<float> second,
        ArrayView<int> tables,
        ArrayView<float> result
    )
        where TOperands : struct, IGemmOperands
    {
        var tiles = SharedMemory.GetDynamic<float>();
        int t = s.Tile,
            step = s.Step,
            bTile = t * step;
        int tx = Group.IdxX,
            ty = Group.IdxY;
        int columnTile = Grid.IdxX % s.ColumnTiles,
            rest = Grid.IdxX / s.ColumnTiles;
        int rowTile = rest % s.RowTiles,
            slice = rest / s.RowTiles;
        int row = rowTile * t + ty,
            column = columnTile * t + tx;
        var operands = default(TOperands);
        float sum = 0;
        for (int stage = 0; stage < s.Depth; stage += step)
        {
            // A tile: Tile rows x Step depth; B tile: Step depth x Tile columns.
            for (int d = tx; d < step; d += t)
                tiles[ty * step + d] =
                    row < s.Rows && stage + d < s.Depth
                        ? operands.A(g, first, second, tables, slice, row, stage + d)
                        : 0f;
            for (int d = ty; d < step; d += t)
                tiles[bTile + d * t + tx] =
                    stage + d < s.Depth && column < s.Columns
                        ? operands.B(g, first, second, tables, slice, stage + d, column)
                        : 0f;
            Group.Barrier();
            for (int d = 0; d < step; d++)
                sum += tiles[ty * step + d] * tiles[bTile + d * t + tx];
            Group.Barrier();
        }
        if (row < s.Rows && column < s.Columns)
            result[operands.ResultIndex(g, slice, row, column)] = sum;
    }
}
