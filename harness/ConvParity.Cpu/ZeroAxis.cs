namespace ConvParity.Cpu;

/// <summary>
/// Where a dense call's X is zero padding along one axis: the kernel has <paramref name="Taps"/> taps along it, and
/// position q along it (row-major positions, q = p / <paramref name="Inner"/> % <paramref name="Extent"/>) reads its
/// tap r at q * <paramref name="Stride"/> + r * <paramref name="Dilation"/> in X's plane, zero outside
/// [<paramref name="DataStart"/>, <paramref name="DataEnd"/>). A block of positions may leave out the taps that read
/// only zeros: they add nothing where the weights are finite (the callers fall back to the reference engine where
/// they are not).
/// </summary>
internal sealed record ZeroAxis(int Taps, int Dilation, int Stride, int Inner, int Extent, int DataStart, int DataEnd)
{
    /// <summary>X's zero padding along the rows (the kernel's first axis of several taps) and the columns (its last
    /// axis, where that is another), each null where nothing around <paramref name="box"/>'s input is read as zero or
    /// the kernel has one tap.</summary>
    /// <param name="box">X's plane: the input, extended.</param>
    /// <param name="positions">The grid of output positions (three axes).</param>
    /// <param name="stride">Their steps in X, per axis.</param>
    /// <param name="kernel">Taps per axis.</param>
    /// <param name="dilation">Steps between taps, per axis.</param>
    public static (ZeroAxis? Rows, ZeroAxis? Columns) Of(
        PlaneBox box,
        int[] positions,
        int[] stride,
        int[] kernel,
        int[] dilation
    )
    {
        int rows = Array.FindIndex(kernel, k => k > 1),
            columns = Geometry.Axes - 1;
        if (rows < 0 || box.IsInput || !box.Boundary.ReadsConstant || box.Boundary.OutsideValue != 0f)
            return (null, null);
        ZeroAxis Along(int axis)
        {
            int inner = 1;
            for (int a = axis + 1; a < Geometry.Axes; a++)
                inner *= positions[a];
            return new(
                kernel[axis],
                dilation[axis],
                stride[axis],
                inner,
                positions[axis],
                -box.Start[axis],
                -box.Start[axis] + box.Input[axis]
            );
        }
        return (Along(rows), rows < columns && kernel[columns] > 1 ? Along(columns) : null);
    }

    /// <summary>The taps [First, End) along the axis that some position from <paramref name="first"/> to
    /// <paramref name="last"/> reads inside the data (End = First where none does). Positions that span more than
    /// one run of the axis count as all of it.</summary>
    public (int First, int End) Kept(int first, int last)
    {
        int span = Inner * Extent;
        (int q0, int q1) =
            first / span == last / span ? (first / Inner % Extent, last / Inner % Extent) : (0, Extent - 1);
        // Tap r is read inside by some q in [q0, q1] when q1 * Stride + r * Dilation >= DataStart and
        // q0 * Stride + r * Dilation < DataEnd.
        int from = Math.Clamp(CeilingDivide(DataStart - q1 * Stride, Dilation), 0, Taps);
        return (from, Math.Clamp(FloorDivide(DataEnd - 1 - q0 * Stride, Dilation) + 1, from, Taps));
    }

    /// <summary>The share of taps that blocks of <paramref name="block"/> positions out of
    /// <paramref name="positions"/> leave out.</summary>
    public double LeftOut(int positions, int block)
    {
        long left = 0,
            blocks = 0;
        for (int p = 0; p < positions; p += block, blocks++)
        {
            var (first, end) = Kept(p, Math.Min(positions, p + block) - 1);
            left += Taps - (end - first);
        }
        return (double)left / Math.Max(1, blocks * Taps);
    }

    private static int FloorDivide(int n, int d) => n >= 0 ? n / d : -((-n + d - 1) / d);

    private static int CeilingDivide(int n, int d) => -FloorDivide(-n, d);
}
