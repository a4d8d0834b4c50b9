using ConvParity.Tensors;

namespace ConvParity.Python;

/// <summary>A library's answer.</summary>
/// <param name="Value">The answer as float32 (a float64 answer is rounded; see <see cref="DType"/>).</param>
/// <param name="DType">The dtype the library returned, numpy's name.</param>
public sealed record LiveAnswer(Tensor Value, string DType);
