namespace ConvParity.Conventions;

/// <summary>
/// One library's vocabulary: turns a call, its argument shapes and keyword arguments into a
/// <see cref="ConvPlan"/>, or says by name what it does not handle.
/// </summary>
public interface IConvention
{
    /// <summary>The fully qualified calls this convention plans.</summary>
    IReadOnlyList<string> Calls { get; }

    /// <summary>How many positional array arguments <paramref name="call"/> takes (the input and the kernel:
    /// 2).</summary>
    int ArrayArguments(string call) => 2;

    /// <summary>How many more positional arrays <paramref name="call"/> may take after its
    /// <see cref="ArrayArguments"/> (torch's and ONNX's optional bias: 1).</summary>
    int OptionalArrayArguments(string call) => 0;

    /// <summary>
    /// Null when the library's own function answers these calls live (the Python allow-list holds them); else why
    /// nothing does, and where the reference comes from instead.
    /// </summary>
    string? NotLive => null;

    /// <summary>Plans <paramref name="call"/>; reads every keyword argument it understands from <paramref
    /// name="kwargs"/>.</summary>
    /// <exception cref="UnsupportedCallException">An argument or value that is not handled.</exception>
    /// <exception cref="ArgumentException">Arguments the library itself would refuse (wrong ranks, mismatched
    /// shapes).</exception>
    ConvPlan Plan(string call, IReadOnlyList<int[]> argShapes, Kwargs kwargs);
}
