using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
        ReadOnlySpan<int> input,
        Boundary boundary,
        ReadOnlySpan<int> start,
        ReadOnlySpan<int> size,
        Span<float> destination
    )
    {
        RequireShapes(plane, input, size, destination);
        int length = size[2];
        fixed (float* source = plane)
        fixed (float* target = destination)
        {
            if (boundary.ReadsConstant)
            {
                ExtendConstant(source, input, start, size, boundary.OutsideValue, target, fill: true);
                return;
            }
            // The run of the row inside the input, copied in one go; only the ends are mapped one by one. Pointers,
            // not spans: the rows are short (a depthwise 56x56 plane spent 40% of its time here with spans).
            var (first, last, _, _) = Inside(input, start, size[1], length);
            // Every other boundary maps every position to an input element.
            float* row = target;
            for (int e0 = 0; e0 < size[0]; e0++)
            {
                int i0 = boundary.Map(start[0] + e0, input[0]);
                for (int e1 = 0; e1 < size[1]; e1++, row += length)
                {
                    int i1 = boundary.Map(start[1] + e1, input[1]);
                    float* from = source + ((long)i0 * input[1] + i1) * input[2];
                    for (int e2 = 0; e2 < first; e2++)
                        row[e2] = from[boundary.Map(start[2] + e2, input[2])];
                    Copy(from + start[2] + first, row + first, last - first);
                    for (int e2 = last; e2 < length; e2++)
                        row[e2] = from[boundary.Map(start[2] + e2, input[2])];
                }
            }
        }
    }

    /// <summary>
    /// Writes the elements of the extension that lie inside the input and leaves the rest of
    /// <paramref name="destination"/> as it is: for a destination that already holds this box's extension for a
    /// boundary that reads a constant, of another plane of the same size.
    /// </summary>
    public static unsafe void CopyInside(
        ReadOnlySpan<float> plane,
        ReadOnlySpan<int> input,
        ReadOnlySpan<int> start,
        ReadOnlySpan<int> size,
        Span<float> destination
    )
    {
        RequireShapes(plane, input, size, destination);
        fixed (float* source = plane)
        fixed (float* target = destination)
            ExtendConstant(source, input, start, size, 0f, target, fill: false);
    }

    /// <summary>The columns first..last - 1 and rows top..bottom - 1 of a box of <paramref name="rows"/> by
    /// <paramref name="columns"/> starting at <paramref name="start"/> (input coordinates) that lie inside an input of
    /// size <paramref name="input"/>, along its last two axes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int First, int Last, int Top, int Bottom) Inside(
        ReadOnlySpan<int> input,
        ReadOnlySpan<int> start,
        int rows,
        int columns
    )
    {
        int first = Math.Clamp(-start[2], 0, columns),
            top = Math.Clamp(-start[1], 0, rows);
        return (
            first,
            Math.Clamp(input[2] - start[2], first, columns),
            top,
            Math.Clamp(input[1] - start[1], top, rows)
        );
    }

    private static void RequireShapes(
        ReadOnlySpan<float> plane,
        ReadOnlySpan<int> input,
        ReadOnlySpan<int> size,
        Span<float> destination
    )
    {
        if (plane.Length < Geometry.Volume(input) || destination.Length < Geometry.Volume(size))
            throw new ArgumentException("the plane or the destination is smaller than its shape");
    }

    /// <summary>Extend for a boundary that reads <paramref name="outside"/> outside the input: rows inside copied,
    /// the rest filled (unless not <paramref name="fill"/>), with no mapping per row and short runs by vectors
    /// (extending a 14x14 plane to 16x16 took 317 ns with a mapping and a copy call per row, 143 ns this way; a 7x7
    /// plane 173 and 100 ns). The rows that hold input are found once a plane and only they are visited to copy, not
    /// every row tested (a depthwise layer of 7x7 planes took 0.87 of the time it took testing every row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ExtendConstant(
        float* source,
        ReadOnlySpan<int> input,
        ReadOnlySpan<int> start,
        ReadOnlySpan<int> size,
        float outside,
        float* row,
        bool fill
    )
    {
        int n0 = input[0],
            n1 = input[1],
            n2 = input[2];
        int length = size[2],
            rows = size[1];
        // The box's columns first..last - 1 and rows top..bottom - 1 hold input; the rest is the constant.
        var (first, last, top, bottom) = Inside(input, start, rows, length);
        int count = last - first;
        long plane = (long)rows * length;
        for (int e0 = 0, i0 = start[0]; e0 < size[0]; e0++, i0++, row += plane)
        {
            if ((uint)i0 >= (uint)n0)
            {
                if (fill)
                    new Span<float>(row, (int)plane).Fill(outside);
                continue;
            }
            float* from = source + ((long)i0 * n1 + start[1] + top) * n2 + start[2] + first;
            float* to = row + (long)top * length + first;
            for (int e1 = top; e1 < bottom; e1++, from += n2, to += length)
            {
                Copy(from, to, count);
                if (fill)
                {
                    Fill(to - first, first, outside);
                    Fill(to + count, length - last, outside);
                }
            }
            if (fill)
            {
                new Span<float>(row, top * length).Fill(outside);
                new Span<float>(row + (long)bottom * length, (rows - bottom) * length).Fill(outside);
            }
        }
    }

    /// <summary>Sets <paramref name="count"/> floats to <paramref name="value"/>; a short run by vectors that
    /// overlap, like <see cref="Copy"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Fill(float* to, int count, float value)
    {
        if (count >= 16 || !Vector256.IsHardwareAccelerated)
            new Span<float>(to, count).Fill(value);
        else if (count >= 8)
        {
            Vector256.Create(value).Store(to);
            Vector256.Create(value).Store(to + count - 8);
        }
        else
            for (int i = 0; i < count; i++)
                to[i] = value;
    }

    /// <summary>Copies <paramref name="count"/> floats between buffers that do not overlap: a run shorter than 32 by
    /// vectors that overlap each other, not a call (a depthwise 14x14 plane is 14 rows of 14, and the rows of 28 of a
    /// stride-2 depthwise layer on 28x28 planes spent a fifth of its time in calls to Memmove).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Copy(float* from, float* to, int count)
    {
        if (count >= 32 || !Vector256.IsHardwareAccelerated)
            Buffer.MemoryCopy(from, to, count * (long)sizeof(float), count * (long)sizeof(float));
        else if (count >= 16 && Vector512.IsHardwareAccelerated)
        {
            Vector512.Load(from).Store(to);
            Vector512.Load(from + count - 16).Store(to + count - 16);
        }
        else if (count >= 16)
        {
            Vector256.Load(from).Store(to);
            Vector256.Load(from + 8).Store(to + 8);
            Vector256.Load(from + count - 16).Store(to + count - 16);
            Vector256.Load(from + count - 8).Store(to + count - 8);
        }
        else if (count >= 8)
        {
            Vector256.Load(from).Store(to);
            Vector256.Load(from + count - 8).Store(to + count - 8);
        }
        else if (count >= 4)
        {
            Vector128.Load(from).Store(to);
            Vector128.Load(from + count - 4).Store(to + count - 4);
        }
        else
            for (int i = 0; i < count; i++)
                to[i] = from[i];
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
