using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Engines;

/// <summary>Helpers shared by every engine.</summary>
public static class ConvEngine
{
    /// <summary>Runs <paramref name="operation"/> with its two operands in order (see <see
    /// cref="ConvProblem.OperandShapes"/>).</summary>
    public static Tensor Run(
        this IConvEngine engine,
        ConvProblem problem,
        ConvOperation operation,
        Tensor first,
        Tensor second
    )
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
    /// <exception cref="ArgumentException">An operand's shape differs; the message names the operand and both
    /// shapes.</exception>
    public static void RequireOperands(
        ConvProblem problem,
        ConvOperation operation,
        Tensor first,
        Tensor second,
        string firstName,
        string secondName
    )
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var (firstShape, secondShape) = problem.OperandShapes(operation);
        Guard.Shape(firstName, first.Shape, firstShape, $"{operation} of this problem");
        Guard.Shape(secondName, second.Shape, secondShape, $"{operation} of this problem");
    }
}
