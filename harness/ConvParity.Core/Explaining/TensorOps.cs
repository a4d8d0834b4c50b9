using ConvParity.Tensors;

namespace ConvParity.Explaining;

/// <summary>The few copies the convention search needs: axis permutation, and cropping or zero-embedding the trailing
/// axes.</summary>
internal static class TensorOps
{
    /// <summary>A new tensor whose axis i is axis <paramref name="permutation"/>[i] of <paramref name="t"/> (the same
    /// tensor for the identity).</summary>
    public static Tensor Permute(Tensor t, int[] permutation)
    {
        if (permutation.Select((p, i) => p == i).All(same => same))
            return t;
        int rank = t.Rank;
        var shape = t.ShapeArray();
        var strides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; s *= shape[d], d--)
            strides[d] = s;
        var outShape = permutation.Select(p => shape[p]).ToArray();
        var outStrides = permutation.Select(p => strides[p]).ToArray();
        var result = new float[t.Length];
        var source = t.Span;
        var index = new int[rank];
        int offset = 0;
        for (int flat = 0; flat < result.Length; flat++)
        {
            result[flat] = source[offset];
            for (int d = rank - 1; d >= 0; d--)
            {
                offset += outStrides[d];
                if (++index[d] < outShape[d])
                    break;
                offset -= outStrides[d] * outShape[d];
                index[d] = 0;
            }
        }
        return new Tensor(result, outShape);
    }

    /// <summary>Drops <paramref name="before"/>/<paramref name="after"/> elements on each of the trailing
    /// axes.</summary>
    public static Tensor Crop(Tensor t, IReadOnlyList<int> before, IReadOnlyList<int> after)
    {
        if (before.All(b => b == 0) && after.All(a => a == 0))
            return t;
        var shape = t.ShapeArray();
        var outShape = (int[])shape.Clone();
        int lead = shape.Length - before.Count;
        for (int a = 0; a < before.Count; a++)
            outShape[lead + a] -= before[a] + after[a];
        var result = Tensor.Zeros(outShape);
        Copy(t, result, before, isCrop: true);
        return result;
    }

    /// <summary>Surrounds the trailing axes with zeros: the inverse of <see cref="Crop"/>.</summary>
    public static Tensor Embed(Tensor t, IReadOnlyList<int> before, IReadOnlyList<int> after)
    {
        if (before.All(b => b == 0) && after.All(a => a == 0))
            return t;
        var outShape = t.ShapeArray();
        int lead = outShape.Length - before.Count;
        for (int a = 0; a < before.Count; a++)
            outShape[lead + a] += before[a] + after[a];
        var result = Tensor.Zeros(outShape);
        Copy(t, result, before, isCrop: false);
        return result;
    }

    /// <summary>Copies the small tensor's elements from/to the large one at offset <paramref name="offset"/> on the
    /// trailing axes.</summary>
    private static void Copy(Tensor source, Tensor destination, IReadOnlyList<int> offset, bool isCrop)
    {
        var (large, small) = isCrop ? (source, destination) : (destination, source);
        var largeShape = large.ShapeArray();
        var smallShape = small.ShapeArray();
        int rank = largeShape.Length,
            lead = rank - offset.Count;
        var index = new int[rank];
        var largeSpan = large.Span;
        var smallSpan = small.Span;
        for (int flat = 0; flat < small.Length; flat++)
        {
            int position = 0;
            for (int d = 0; d < rank; d++)
                position = position * largeShape[d] + index[d] + (d >= lead ? offset[d - lead] : 0);
            if (isCrop)
                smallSpan[flat] = largeSpan[position];
            else
                largeSpan[position] = smallSpan[flat];
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < smallShape[d])
                    break;
                index[d] = 0;
            }
        }
    }
}
