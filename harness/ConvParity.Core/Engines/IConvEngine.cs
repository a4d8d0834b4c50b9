using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Engines;

/// <summary>
/// Something that solves <see cref="ConvProblem"/>s: the three linear maps on canonical layouts
/// x (N, C, I...), w (K, C/G, k...) or unshared (K, O..., C/G, k...), y (N, K, O...).
/// A user's own implementation is just another engine.
/// </summary>
public interface IConvEngine
{
    /// <summary>A short stable name, used on the command line and in test names.</summary>
    string Name { get; }

    /// <summary>y = conv(x, w).</summary>
    Tensor Forward(ConvProblem problem, Tensor x, Tensor w);

    /// <summary>dx = adjoint of the forward map in x, applied to dy (transposed convolution).</summary>
    Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w);

    /// <summary>dw = adjoint of the forward map in w, applied to dy.</summary>
    Tensor GradWeights(ConvProblem problem, Tensor x, Tensor dy);
}
