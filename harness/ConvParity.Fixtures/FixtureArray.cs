using ConvParity.Tensors;

namespace ConvParity.Fixtures;

/// <summary>An array read from a fixture as float32, and whether that conversion was exact.</summary>
/// <param name="Tensor">The values as float32, in C order.</param>
/// <param name="DType">The dtype stored in the file (numpy's name).</param>
/// <param name="Rounded">Whether some value changed when converted to float32 (the library saw more precise
/// inputs).</param>
public sealed record FixtureArray(Tensor Tensor, string DType, bool Rounded);
