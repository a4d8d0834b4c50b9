namespace ConvParity.Fixtures;

/// <summary>What an .npy header declares, validated: a real dtype, a shape whose sizes fit, the order.</summary>
/// <param name="DType">numpy's name of the dtype ("float32", "int16"...).</param>
/// <param name="Kind">'f', 'i' or 'u'.</param>
/// <param name="ItemSize">Bytes per element.</param>
/// <param name="BigEndian">Whether the elements are stored big-endian (they are converted).</param>
/// <param name="FortranOrder">Whether the elements are stored in Fortran order (they are transposed to C
/// order).</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Elements">The element count.</param>
internal sealed record NpyHeader(
    string DType,
    char Kind,
    int ItemSize,
    bool BigEndian,
    bool FortranOrder,
    int[] Shape,
    long Elements
)
{
    /// <summary>The bytes of data the header declares.</summary>
    public long DataBytes => Elements * ItemSize;

    /// <summary>What the array costs against the case cap (<see cref="CaseLimits.BytesPerElement"/> per
    /// element).</summary>
    public long Cost => Elements * CaseLimits.BytesPerElement;
}
