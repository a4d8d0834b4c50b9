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
    public static unsafe void Extend(
        ReadOnlySpan<float> plane,
        int[] input,
        Boundary boundary,
        int[] start,
        int[] size,
        Span<float> destination
    )
    {
        if (plane.Length < Geometry.Volume(input) || destination.Length < Geometry.Volume(size))
            throw new ArgumentException("the plane or the destination is smaller than its shape");
        float outside = boundary.OutsideValue;
        bool constant = boundary.ReadsConstant;
        int length = size[2];
        // The run of the row inside the input, copied in one go; only the ends are mapped one by one. Pointers,
        // not spans: the rows are short (a depthwise 56x56 plane spent 40% of its time here with spans).
        int first = Math.Clamp(-start[2], 0, length);
        int last = Math.Clamp(input[2] - start[2], first, length);
        long copied = (long)(last - first) * sizeof(float);
        fixed (float* source = plane)
        fixed (float* target = destination)
        {
            float* row = target;
            for (int e0 = 0; e0 < size[0]; e0++)
            {
                int i0 = boundary.Map(start[0] + e0, input[0]);
                for (int e1 = 0; e1 < size[1]; e1++, row += length)
                {
                    int i1 = boundary.Map(start[1] + e1, input[1]);
                    if (i0 < 0 || i1 < 0)
                    {
                        new Span<float>(row, length).Fill(outside);
                        continue;
                    }
                    float* from = source + ((long)i0 * input[1] + i1) * input[2];
                    for (int e2 = 0; e2 < first; e2++)
                        row[e2] = constant ? outside : from[boundary.Map(start[2] + e2, input[2])];
                    Buffer.MemoryCopy(from + start[2] + first, row + first, copied, copied);
                    for (int e2 = last; e2 < length; e2++)
                        row[e2] = constant ? outside : from[boundary.Map(start[2] + e2, input[2])];
                }
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

    private static int[] AxisMap(Boundary boundary, int start, int size, int n)
    {
        var map = new int[size];
        for (int e = 0; e < size; e++)
            map[e] = boundary.Map(start + e, n);
        return map;
    }
}
