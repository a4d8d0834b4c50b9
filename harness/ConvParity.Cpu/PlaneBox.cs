using ConvParity.Problems;

namespace ConvParity.Cpu;

/// <summary>
/// The box a dense kernel reads of each plane of an operand: the plane (size <paramref name="Input"/>) extended with
/// <paramref name="Boundary"/> over <paramref name="Size"/> elements from <paramref name="Start"/> (input coordinates,
/// may be negative), three axes as in <see cref="Geometry"/>.
/// </summary>
internal sealed record PlaneBox(int[] Input, int[] Start, int[] Size, Boundary Boundary)
{
    /// <summary>The part of x the forward map reads: the extended input, from -padBefore.</summary>
    public static PlaneBox Forward(Geometry s, Boundary boundary) =>
        new(s.Input, [.. s.PadBefore.Select(v => -v)], s.Extended, boundary);

    /// <summary>
    /// With unit strides, the part of dy the input gradient reads, zero outside dy: dx(i) is the sum over taps j of
    /// dy(i + padBefore - j * d) times tap j, so x's I positions read I + (k - 1) * d elements from
    /// padBefore - (k - 1) * d with the kernel reversed. Every position of x gets its gradient this way, also one the
    /// forward map never reads (its dy terms all lie outside dy).
    /// </summary>
    public static PlaneBox Gradient(Geometry s)
    {
        var start = new int[Geometry.Axes];
        var size = new int[Geometry.Axes];
        for (int a = 0; a < Geometry.Axes; a++)
        {
            int reach = (s.Kernel[a] - 1) * s.Dilation[a];
            (start[a], size[a]) = (s.PadBefore[a] - reach, s.Input[a] + reach);
        }
        return new(s.Output, start, size, Boundary.Zero);
    }

    /// <summary>Floats of one input plane.</summary>
    public int InputVolume => Geometry.Volume(Input);

    /// <summary>Floats of one extended plane.</summary>
    public int Volume => Geometry.Volume(Size);

    /// <summary>Whether the box is the plane itself (nothing padded or cut off).</summary>
    public bool IsInput => Start.All(v => v == 0) && Size.SequenceEqual(Input);
}
