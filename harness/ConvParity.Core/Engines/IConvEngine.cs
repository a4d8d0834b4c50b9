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

/// <summary>Helpers shared by every engine.</summary>
public static class ConvEngine
{
    /// <summary>Runs <paramref name="operation"/> with its two operands in order (see <see cref="ConvProblem.OperandShapes"/>).</summary>
    public static Tensor Run(this IConvEngine engine, ConvProblem problem, ConvOperation operation, Tensor first, Tensor second)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return operation switch
        {
            ConvOperation.Forward => engine.Forward(problem, first, second),
            ConvOperation.GradInput => engine.GradInput(problem, first, second),
            ConvOperation.GradWeights => engine.GradWeights(problem, first, second),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
    }

    /// <summary>Throws when the operands do not have the shapes <paramref name="operation"/> needs.</summary>
    /// <exception cref="ArgumentException">An operand's shape differs; the message names the operand and both shapes.</exception>
    public static void RequireOperands(ConvProblem problem, ConvOperation operation, Tensor first, Tensor second, string firstName, string secondName)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var (firstShape, secondShape) = problem.OperandShapes(operation);
        Guard.Shape(firstName, first.Shape, firstShape, $"{operation} of this problem");
        Guard.Shape(secondName, second.Shape, secondShape, $"{operation} of this problem");
    }
}
