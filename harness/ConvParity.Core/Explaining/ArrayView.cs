using ConvParity.Tensors;

namespace ConvParity.Explaining;

/// <summary>
/// How an array's memory is seen as a canonical operand: reshaped to <see cref="SourceShape"/>, then
/// its axes permuted (canonical axis i is source axis <see cref="Permutation"/>[i]). A layout such as
/// NHWC, a kernel stored (in, out, h, w), or an engine that reads memory in the wrong order is a view.
/// </summary>
/// <param name="SourceShape">The shape the memory is read as.</param>
/// <param name="Permutation">For each canonical axis, the source axis it comes from.</param>
public sealed record ArrayView(IReadOnlyList<int> SourceShape, IReadOnlyList<int> Permutation)
{
    /// <summary>The shape the memory is read as (copied).</summary>
    public IReadOnlyList<int> SourceShape { get; } =
        Array.AsReadOnly(SourceShape?.ToArray() ?? throw new ArgumentNullException(nameof(SourceShape)));

    /// <summary>For each canonical axis, the source axis it comes from (copied).</summary>
    public IReadOnlyList<int> Permutation { get; } =
        Array.AsReadOnly(Permutation?.ToArray() ?? throw new ArgumentNullException(nameof(Permutation)));

    /// <summary>A plain reshape: the memory is read in canonical order.</summary>
    public static ArrayView Reshape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new([.. shape], [.. Enumerable.Range(0, shape.Length)]);
    }

    /// <summary>The canonical shape this view produces.</summary>
    public int[] CanonicalShape => [.. Permutation.Select(p => SourceShape[p])];

    /// <summary>Whether the view keeps the memory order (only unit axes move), so it is a reshape.</summary>
    public bool KeepsOrder
    {
        get
        {
            var moved = Permutation.Where(p => SourceShape[p] != 1).ToArray();
            return moved.Zip(moved.Skip(1)).All(pair => pair.First < pair.Second);
        }
    }

    /// <summary>Reads <paramref name="array"/> (any shape with the right element count) as the canonical
    /// operand.</summary>
    public Tensor ToCanonical(Tensor array)
    {
        ArgumentNullException.ThrowIfNull(array);
        return TensorOps.Permute(array.Reshape([.. SourceShape]), [.. Permutation]);
    }

    /// <summary>Writes a canonical result into this view's memory order, reshaped to <paramref
    /// name="shape"/>.</summary>
    public Tensor FromCanonical(Tensor canonical, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var inverse = new int[Permutation.Count];
        for (int i = 0; i < inverse.Length; i++)
            inverse[Permutation[i]] = i;
        return TensorOps.Permute(canonical, inverse).Reshape(shape);
    }
}
