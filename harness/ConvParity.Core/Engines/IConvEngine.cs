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

    /// <summary>y = conv(x, w): the linear map alone (a problem's <see cref="ConvProblem.Bias"/> is not
    /// added).</summary>
    Tensor Forward(ConvProblem problem, Tensor x, Tensor w);

    /// <summary>dx = adjoint of the forward map in x, applied to dy (transposed convolution): the linear map alone (a
    /// problem's <see cref="ConvProblem.Bias"/> is not added).</summary>
    Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w);

    /// <summary>
    /// y = conv(x, w) + b[k] per output channel, for a problem with <see cref="ConvProblem.Bias"/>; b has shape (K).
    /// An engine that adds the bias itself implements this; by default the bias is added to <see cref="Forward(
    /// ConvProblem, Tensor, Tensor)"/>'s answer in float32 (<see cref="ConvEngine.AddBias"/>).
    /// </summary>
    Tensor Forward(ConvProblem problem, Tensor x, Tensor w, Tensor b) =>
        ConvEngine.AddBias(problem, ConvOperation.Forward, Forward(problem, x, w), b);

    /// <summary>
    /// dx = conv^T(dy, w) + b[c] per channel of dx (a transposed convolution's bias), for a problem with
    /// <see cref="ConvProblem.Bias"/>; b has shape (C). By default the bias is added to <see cref="GradInput(
    /// ConvProblem, Tensor, Tensor)"/>'s answer in float32 (<see cref="ConvEngine.AddBias"/>).
    /// </summary>
    Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w, Tensor b) =>
        ConvEngine.AddBias(problem, ConvOperation.GradInput, GradInput(problem, dy, w), b);

    /// <summary>dw = adjoint of the forward map in w, applied to dy.</summary>
    Tensor GradWeights(ConvProblem problem, Tensor x, Tensor dy);
}
