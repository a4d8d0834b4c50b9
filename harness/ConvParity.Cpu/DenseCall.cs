namespace ConvParity.Cpu;

/// <summary>
/// One direct correlation on an already extended input, in the general strided form every operation
/// reduces to: Y(b, g, k, p) = sum over c, t of W(g, k, c, t) * X(b, g, c)[position p + tap t].
/// Positions and taps are given as offsets into an X plane, so any rank, stride and dilation is the same
/// loop. Array strides describe where each operand lives (the adjoints read the same arrays transposed).
/// </summary>
internal sealed unsafe class DenseCall
{
    public required int Batch,
        Groups,
        InPerGroup,
        OutPerGroup;

    /// <summary>Offsets of the output positions (row-major) and of the taps in an X plane.</summary>
    public required int[] PositionOffsets,
        TapOffsets;
    public required float* X;
    public required long XBatch,
        XGroup,
        XChannel;
    public required float* W;
    public required long WGroup,
        WOut,
        WIn,
        WTap;

    /// <summary>Take tap T-1-t where t is asked: the kernel flip (reverses every axis at once).</summary>
    public required bool ReverseTaps;
    public required float* Y;
    public required long YBatch,
        YGroup,
        YOut;

    /// <summary>Store position p at P-1-p: the flip of a weight gradient.</summary>
    public required bool ReversePositions;

    /// <summary>Null: X holds every batch. Otherwise X holds <see cref="SliceBatches"/> batches at a time, and
    /// FillSlice(first, count) writes batches first to first + count - 1 there before the kernel reads them (an
    /// extended input a few batches at a time is still in cache when it is read).</summary>
    public Action<int, int>? FillSlice;

    /// <summary>Batches X holds at a time where <see cref="FillSlice"/> is set.</summary>
    public int SliceBatches = 1;

    /// <summary>Where X is zero padding along the kernel's rows and columns (<see cref="ZeroAxis.Of"/>), so that
    /// blocks of positions may leave out taps that read only zeros; null where X has none to leave out.</summary>
    public ZeroAxis? ZeroRows,
        ZeroColumns;

    public int Positions => PositionOffsets.Length;
    public int Taps => TapOffsets.Length;
}
