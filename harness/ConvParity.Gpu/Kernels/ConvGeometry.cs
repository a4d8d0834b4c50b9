using ConvParity.Problems;
using ILGPU;

namespace ConvParity.Gpu.Kernels;

/// <summary>
/// A <see cref="ConvProblem"/> as the kernels see it: plain integers, lifted to three spatial axes with
/// leading unit axes so one loop nest serves ranks 1 to 3 (as in the reference engine). The boundary
/// is not computed in the kernels: the host fills index tables with <see cref="Boundary.Map"/> itself,
/// so the device reads exactly the extension the reference engine reads, and the kernels stay free of
/// per-kind branches. Tables (offsets into one int buffer):
/// <list type="bullet">
/// <item>taps, per axis a: taps[o * k + j] = the input index tap j of output o reads, or -1 outside;</item>
/// <item>hits, per axis a: for input index i, the entries e = o * k + j with taps[e] == i, as start
/// offsets (I + 1 of them) into the same buffer: the gather lists of the input adjoint.</item>
/// </list>
/// </summary>
internal struct ConvGeometry
{
    public int Batch,
        InChannels,
        OutChannels,
        Groups,
        InPerGroup,
        OutPerGroup;
    public int In0,
        In1,
        In2,
        Ker0,
        Ker1,
        Ker2,
        Out0,
        Out1,
        Out2;
    public int Pad0,
        Pad1,
        Pad2,
        Dil0,
        Dil1,
        Dil2;
    public int InVolume,
        KernelVolume,
        OutVolume;

    /// <summary>1 for true convolution: every kernel axis reversed, which on a row-major kernel is flat j -> volume - 1
    /// - j.</summary>
    public int Flip;
    public int Unshared;

    /// <summary>1 when terms outside the input read <see cref="OutsideValue"/> (Constant); 0 when they are absent
    /// (Zero) or never occur.</summary>
    public int ConstantOutside;
    public float OutsideValue;
    public int Taps0,
        Taps1,
        Taps2,
        Hits0,
        Hits1,
        Hits2;

    /// <summary>The geometry of <paramref name="p"/> and its index tables.</summary>
    public static ConvGeometry For(ConvProblem p, out int[] tables)
    {
        int lift = ConvProblem.MaxRank - p.Rank;
        int Axis(IReadOnlyList<int> v, int a, int unit) => a < lift ? unit : v[a - lift];
        var g = new ConvGeometry
        {
            Batch = p.Batch,
            InChannels = p.InChannels,
            OutChannels = p.OutChannels,
            Groups = p.Groups,
            InPerGroup = p.InChannelsPerGroup,
            OutPerGroup = p.OutChannelsPerGroup,
            In0 = Axis(p.InputSize, 0, 1),
            In1 = Axis(p.InputSize, 1, 1),
            In2 = Axis(p.InputSize, 2, 1),
            Ker0 = Axis(p.KernelSize, 0, 1),
            Ker1 = Axis(p.KernelSize, 1, 1),
            Ker2 = Axis(p.KernelSize, 2, 1),
            Out0 = Axis(p.OutputSize, 0, 1),
            Out1 = Axis(p.OutputSize, 1, 1),
            Out2 = Axis(p.OutputSize, 2, 1),
            Pad0 = Axis(p.PadBefore, 0, 0),
            Pad1 = Axis(p.PadBefore, 1, 0),
            Pad2 = Axis(p.PadBefore, 2, 0),
            Dil0 = Axis(p.Dilation, 0, 1),
            Dil1 = Axis(p.Dilation, 1, 1),
            Dil2 = Axis(p.Dilation, 2, 1),
            Flip = p.Flip ? 1 : 0,
            Unshared = p.Unshared ? 1 : 0,
            ConstantOutside = p.Boundary.Kind == BoundaryKind.Constant ? 1 : 0,
            OutsideValue = p.Boundary.OutsideValue,
        };
        g.InVolume = g.In0 * g.In1 * g.In2;
        g.KernelVolume = g.Ker0 * g.Ker1 * g.Ker2;
        g.OutVolume = g.Out0 * g.Out1 * g.Out2;

        var list = new List<int>();
        var tapOffsets = new int[ConvProblem.MaxRank];
        var hitOffsets = new int[ConvProblem.MaxRank];
        for (int a = 0; a < ConvProblem.MaxRank; a++)
        {
            int r = a - lift;
            int inSize = Axis(p.InputSize, a, 1),
                k = Axis(p.KernelSize, a, 1),
                outSize = Axis(p.OutputSize, a, 1);
            var taps = new int[outSize * k];
            for (int o = 0; o < outSize; o++)
            for (int j = 0; j < k; j++)
                taps[o * k + j] =
                    r < 0 ? 0 : p.Boundary.Map(o * p.Stride[r] + j * p.Dilation[r] - p.PadBefore[r], inSize);
            tapOffsets[a] = list.Count;
            list.AddRange(taps);

            // Gather lists: entries grouped by the input index they read, in increasing e within each.
            var counts = new int[inSize + 1];
            foreach (int i in taps)
                if (i >= 0)
                    counts[i + 1]++;
            for (int i = 0; i < inSize; i++)
                counts[i + 1] += counts[i];
            int entriesAt = list.Count + inSize + 1;
            hitOffsets[a] = list.Count;
            list.AddRange(counts.Select(c => entriesAt + c));
            var entries = new int[counts[inSize]];
            var next = (int[])counts.Clone();
            for (int e = 0; e < taps.Length; e++)
                if (taps[e] >= 0)
                    entries[next[taps[e]]++] = e;
            list.AddRange(entries);
        }
        (g.Taps0, g.Taps1, g.Taps2) = (tapOffsets[0], tapOffsets[1], tapOffsets[2]);
        (g.Hits0, g.Hits1, g.Hits2) = (hitOffsets[0], hitOffsets[1], hitOffsets[2]);
        tables = [.. list];
        return g;
    }

    /// <summary>The flat index in w's kernel of tap j (flat over the kernel axes).</summary>
    public readonly int WeightTap(int j) => Flip != 0 ? KernelVolume - 1 - j : j;

    /// <summary>The first kernel of output channel k at output position oFlat: w is (K, C/G, k...) or unshared (K,
    /// O..., C/G, k...).</summary>
    public readonly int KernelRow(int k, int oFlat) => (Unshared != 0 ? k * OutVolume + oFlat : k) * InPerGroup;

    /// <summary>The flat spatial offset in an input channel that tap j of output (o0, o1, o2) reads, or -1 outside the
    /// input.</summary>
    public readonly int InputOffset(ArrayView<int> tables, int o0, int o1, int o2, int j)
    {
        int j2 = j % Ker2,
            rest = j / Ker2;
        int j1 = rest % Ker1,
            j0 = rest / Ker1;
        int i0 = tables[Taps0 + o0 * Ker0 + j0];
        int i1 = tables[Taps1 + o1 * Ker1 + j1];
        int i2 = tables[Taps2 + o2 * Ker2 + j2];
        return i0 < 0 || i1 < 0 || i2 < 0 ? -1 : (i0 * In1 + i1) * In2 + i2;
    }

    /// <summary>The input offset of tap j, from a flat output position.</summary>
    public readonly int InputOffset(ArrayView<int> tables, int oFlat, int j)
    {
        int o2 = oFlat % Out2,
            rest = oFlat / Out2;
        return InputOffset(tables, rest / Out1, rest % Out1, o2, j);
    }
}
