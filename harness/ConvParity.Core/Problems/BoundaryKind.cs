namespace ConvParity.Problems;

/// <summary>How the input is extended outside its extent, in scipy.ndimage's words.</summary>
public enum BoundaryKind
{
    /// <summary>Zeros outside: the padding of every deep-learning library.</summary>
    Zero,

    /// <summary>A constant value outside (ndimage 'constant' with cval, convolve2d 'fill' with fillvalue).</summary>
    Constant,

    /// <summary>d c b a | a b c d | d c b a: the edge is repeated (ndimage 'reflect', convolve2d 'symm', numpy.pad
    /// 'symmetric').</summary>
    Reflect,

    /// <summary>d c b | a b c d | c b a: the edge is not repeated (ndimage 'mirror', numpy.pad 'reflect').</summary>
    Mirror,

    /// <summary>a a a | a b c d | d d d (ndimage 'nearest', numpy.pad 'edge').</summary>
    Nearest,

    /// <summary>Periodic: b c d | a b c d | a b c (ndimage 'wrap', convolve2d 'wrap').</summary>
    Wrap,
}
