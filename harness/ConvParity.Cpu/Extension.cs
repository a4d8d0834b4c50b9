using ConvParity.Problems;

namespace ConvParity.Cpu;

/// <summary>
/// Moves planes between an input and its boundary-extended copy: Extend materialises the values the
/// forward map reads (constants outside for Zero and Constant), Fold adds a gradient over the extended
/// domain back onto the input elements each position reads (positions that read a constant have none).
/// </summary>
internal static class Extension
{
    /// <summary>
    /// Fills <paramref name="destination"/> (size <paramref name="size"/>) with the extension of
    /// <paramref name="plane"/> (size <paramref name="input"/>) over the box starting at <paramref name="start"/>
    /// (input coordinates, may be negative).
    /// </summary>
    public static void Extend(
        ReadOnlySpan<float> plane,
        int[] input,
        Boundary boundary,
        int[] start,
        int[] size,
        Span<float> destination
    )
    {
        float outside = boundary.OutsideValue;
        // The run of the row inside the input, copied in one go; only the ends are mapped one by one.
        int first = Math.Clamp(-start[2], 0, size[2]);
        int last = Math.Clamp(input[2] - start[2], first, size[2]);
        int d = 0;
        for (int e0 = 0; e0 < size[0]; e0++)
        {
            int i0 = boundary.Map(start[0] + e0, input[0]);
            for (int e1 = 0; e1 < size[1]; e1++, d += size[2])
            {
                int i1 = boundary.Map(start[1] + e1, input[1]);
                var row = destination.Slice(d, size[2]);
                if (i0 < 0 || i1 < 0)
                {
                    row.Fill(outside);
                    continue;
                }
                var source = plane.Slice((i0 * input[1] + i1) * input[2], input[2]);
                for (int e2 = 0; e2 < first; e2++)
                    row[e2] = Read(source, boundary.Map(start[2] + e2, input[2]), outside);
                source.Slice(start[2] + first, last - first).CopyTo(row.Slice(first));
                for (int e2 = last; e2 < size[2]; e2++)
                    row[e2] = Read(source, boundary.Map(start[2] + e2, input[2]), outside);
            }
        }
    }

    /// <summary>Adds every element of <paramref name="extended"/> (the box at <paramref name="start"/>) onto the input
    /// element it reads.</summary>
    public static void Fold(
        ReadOnlySpan<float> extended,
        int[] size,
        int[] start,
        Boundary boundary,
        int[] input,
        Span<float> plane
    )
    {
        var map0 = AxisMap(boundary, start[0], size[0], input[0]);
        var map1 = AxisMap(boundary, start[1], size[1], input[1]);
        var map2 = AxisMap(boundary, start[2], size[2], input[2]);
        int s = 0;
        for (int e0 = 0; e0 < size[0]; e0++)
        for (int e1 = 0; e1 < size[1]; e1++, s += size[2])
        {
            if (map0[e0] < 0 || map1[e1] < 0)
                continue;
            int rowBase = (map0[e0] * input[1] + map1[e1]) * input[2];
            for (int e2 = 0; e2 < size[2]; e2++)
                if (map2[e2] >= 0)
                    plane[rowBase + map2[e2]] += extended[s + e2];
        }
    }

    private static float Read(ReadOnlySpan<float> row, int index, float outside) => index < 0 ? outside : row[index];

    private static int[] AxisMap(Boundary boundary, int start, int size, int n)
    {
        var map = new int[size];
        for (int e = 0; e < size; e++)
            map[e] = boundary.Map(start + e, n);
        return map;
    }
}
