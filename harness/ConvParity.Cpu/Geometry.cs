using ConvParity.Problems;

namespace ConvParity.Cpu;

/// <summary>
/// The spatial axes of a problem lifted to three (leading unit axes), so one loop nest serves ranks 1
/// to 3. "Extended" is the part of the boundary-extended input the forward map reads:
/// E = (O - 1) * s + (k - 1) * d + 1 per axis, starting at -padBefore.
/// </summary>
internal sealed class Geometry
{
    public const int Axes = ConvProblem.MaxRank;

    public Geometry(ConvProblem p)
        : this(
            Lift(p.InputSize, Axes - p.Rank, 1),
            Lift(p.KernelSize, Axes - p.Rank, 1),
            Lift(p.OutputSize, Axes - p.Rank, 1),
            Lift(p.Stride, Axes - p.Rank, 1),
            Lift(p.Dilation, Axes - p.Rank, 1),
            Lift(p.PadBefore, Axes - p.Rank, 0)
        ) { }

    private Geometry(int[] input, int[] kernel, int[] output, int[] stride, int[] dilation, int[] padBefore)
    {
        (Input, Kernel, Output, Stride, Dilation, PadBefore) = (input, kernel, output, stride, dilation, padBefore);
        Extended = new int[Axes];
        for (int a = 0; a < Axes; a++)
            Extended[a] = (Output[a] - 1) * Stride[a] + (Kernel[a] - 1) * Dilation[a] + 1;
    }

    /// <summary>
    /// The correlation whose output is the input gradient over this extended domain: it reads the output
    /// gradient spread out by the stride (Spread) and padded by (k - 1) * d on both sides, with the
    /// kernel reversed, stride 1 and the same dilation.
    /// </summary>
    public Geometry Transposed()
    {
        var spread = new int[Axes];
        for (int a = 0; a < Axes; a++)
            spread[a] = (Output[a] - 1) * Stride[a] + 1 + 2 * (Kernel[a] - 1) * Dilation[a];
        return new Geometry(spread, Kernel, Extended, [1, 1, 1], Dilation, new int[Axes]);
    }

    public int[] Input { get; }
    public int[] Kernel { get; }
    public int[] Output { get; }
    public int[] Stride { get; }
    public int[] Dilation { get; }
    public int[] PadBefore { get; }
    public int[] Extended { get; }

    public int InputVolume => Volume(Input);
    public int KernelVolume => Volume(Kernel);
    public int OutputVolume => Volume(Output);
    public int ExtendedVolume => Volume(Extended);

    /// <summary>Whether the extended input is the input itself (no padding read, nothing cut off).</summary>
    public bool ExtendedIsInput => Enumerable.Range(0, Axes).All(a => PadBefore[a] == 0 && Extended[a] == Input[a]);

    public static int Volume(ReadOnlySpan<int> sizes) => sizes[0] * sizes[1] * sizes[2];

    /// <summary>
    /// Offsets, in a row-major array of size <paramref name="plane"/>, of the points
    /// i * <paramref name="step"/> for every i of the grid <paramref name="count"/> (row-major order).
    /// </summary>
    public static int[] Offsets(int[] count, int[] step, int[] plane)
    {
        var offsets = new int[Volume(count)];
        int n = 0;
        for (int i0 = 0; i0 < count[0]; i0++)
        for (int i1 = 0; i1 < count[1]; i1++)
        for (int i2 = 0; i2 < count[2]; i2++)
            offsets[n++] = (i0 * step[0] * plane[1] + i1 * step[1]) * plane[2] + i2 * step[2];
        return offsets;
    }

    private static int[] Lift(IReadOnlyList<int> values, int lift, int fill) =>
        [.. Enumerable.Repeat(fill, lift), .. values];
}
