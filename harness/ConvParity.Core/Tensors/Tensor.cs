namespace ConvParity.Tensors;

/// <summary>
/// A dense, row-major (C order) float32 tensor. The elements live in a <see cref="Memory{T}"/>,
/// so a tensor can wrap a managed array or memory owned by someone else (a NumSharp array,
/// a Python buffer) without copying.
/// </summary>
public sealed class Tensor
{
    private readonly int[] _shape;

    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    /// <param name="data">The elements in row-major order, exactly as many as the shape holds.</param>
    /// <param name="shape">The extent of each axis.</param>
    /// <exception cref="ArgumentException">A dimension is negative, or the shape does not match the length of <paramref
    /// name="data"/>.</exception>
    public Tensor(Memory<float> data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = ElementCount(shape, nameof(shape));
        if (count != data.Length)
            throw new ArgumentException(
                $"shape [{FormatShape(shape)}] holds {count} elements but the data has {data.Length}.",
                nameof(shape)
            );
        Data = data;
        _shape = (int[])shape.Clone();
    }

    /// <summary>A new tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        long count = ElementCount(shape, nameof(shape));
        if (count > Array.MaxLength)
            throw new ArgumentException(
                $"shape [{FormatShape(shape)}] holds {count} elements, "
                    + $"more than one array can hold ({Array.MaxLength}).",
                nameof(shape)
            );
        return new Tensor(new float[count], shape);
    }

    /// <summary>The elements in row-major order.</summary>
    public Memory<float> Data { get; }

    /// <summary>The elements as a span.</summary>
    public Span<float> Span => Data.Span;

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>The same elements seen with another shape of the same element count (no copy).</summary>
    public Tensor Reshape(params int[] shape) => new(Data, shape);

    /// <summary>A new tensor holding |x| for every element x.</summary>
    public Tensor Abs() => Map(MathF.Abs);

    /// <summary>A new tensor holding <paramref name="f"/> applied to every element.</summary>
    public Tensor Map(Func<float, float> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var result = new float[Length];
        var source = Span;
        for (int i = 0; i < result.Length; i++)
            result[i] = f(source[i]);
        return new Tensor(result, _shape);
    }

    /// <summary>A copy of the shape as an array.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>The row-major multi-index of flat position <paramref name="flat"/>.</summary>
    public int[] IndexOf(int flat)
    {
        var index = new int[Rank];
        for (int d = Rank - 1; d >= 0; d--)
        {
            index[d] = _shape[d] == 0 ? 0 : flat % _shape[d];
            flat = _shape[d] == 0 ? 0 : flat / _shape[d];
        }
        return index;
    }

    /// <summary>Whether two shapes are equal.</summary>
    public static bool SameShape(IReadOnlyList<int> a, IReadOnlyList<int> b) => a.SequenceEqual(b);

    /// <summary>Formats a shape as "2, 3, 4".</summary>
    public static string FormatShape(IEnumerable<int> shape) => string.Join(", ", shape);

    /// <summary>The product of the dimensions, with overflow and negative sizes reported by name.</summary>
    public static long ElementCount(IReadOnlyList<int> shape, string argumentName)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw Guard.OutOfRange(
                    argumentName,
                    $"[{FormatShape(shape)}]",
                    $"{argumentName} [{FormatShape(shape)}] has a negative dimension."
                );
            try
            {
                count = checked(count * d);
            }
            catch (OverflowException)
            {
                throw new ArgumentException(
                    $"{argumentName} [{FormatShape(shape)}] has too many elements to count.",
                    argumentName
                );
            }
        }
        return count;
    }

    /// <inheritdoc />
    public override string ToString() => $"Tensor[{FormatShape(_shape)}]";
}
