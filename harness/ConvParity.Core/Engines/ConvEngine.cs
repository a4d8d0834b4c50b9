using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Engines;

/// <summary>Helpers shared by every engine.</summary>
public static class ConvEngine
{
    /// <summary>
    /// Runs <paramref name="operation"/> with its two operands in order (see <see cref="ConvProblem.OperandShapes"/>)
    /// and, where the problem has one for this operation (<see cref="ConvProblem.BiasShape"/>), its bias.
    /// </summary>
    /// <exception cref="ArgumentException">A bias is given where the operation takes none, or missing where it takes
    /// one.</exception>
    public static Tensor Run(
        this IConvEngine engine,
        ConvProblem problem,
        ConvOperation operation,
        Tensor first,
        Tensor second,
        Tensor? bias = null
    )
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(problem);
        bool takesBias = problem.BiasShape(operation) is not null;
        if (takesBias != bias is not null)
            throw Guard.Invalid(
                nameof(bias),
                takesBias
                    ? $"{operation} of this problem adds a bias; none was given."
                    : $"{operation} of this problem takes no bias; one was given."
            );
        return (operation, bias) switch
        {
            (ConvOperation.Forward, null) => engine.Forward(problem, first, second),
            (ConvOperation.Forward, { } b) => engine.Forward(problem, first, second, b),
            (ConvOperation.GradInput, null) => engine.GradInput(problem, first, second),
            (ConvOperation.GradInput, { } b) => engine.GradInput(problem, first, second, b),
            (ConvOperation.GradWeights, _) => engine.GradWeights(problem, first, second),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
    }

    /// <summary>
    /// <paramref name="result"/> (the canonical result of <paramref name="operation"/>) plus <paramref name="bias"/>
    /// per channel (axis 1), each sum rounded to float32 once: the default bias step of every engine.
    /// </summary>
    /// <exception cref="ArgumentException">The problem has no bias for this operation, or a shape
    /// differs.</exception>
    public static Tensor AddBias(ConvProblem problem, ConvOperation operation, Tensor result, Tensor bias)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = RequireBias(problem, operation, bias);
        Guard.Shape(nameof(result), result.Shape, problem.ResultShape(operation), $"{operation} of this problem");
        var sum = new float[result.Length];
        var r = result.Span;
        int plane = result.Length / (problem.Batch * b.Length);
        for (int i = 0; i < sum.Length; i++)
            sum[i] = r[i] + b[i / plane % b.Length];
        return new Tensor(sum, result.ShapeArray());
    }

    /// <summary>The values of <paramref name="bias"/>, checked against the bias shape of
    /// <paramref name="operation"/>.</summary>
    /// <exception cref="ArgumentException">The problem has no bias for this operation, or the shape
    /// differs.</exception>
    public static ReadOnlySpan<float> RequireBias(ConvProblem problem, ConvOperation operation, Tensor bias)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(bias);
        var shape =
            problem.BiasShape(operation)
            ?? throw Guard.Invalid(nameof(bias), $"{operation} of this problem takes no bias.");
        Guard.Shape(nameof(bias), bias.Shape, shape, $"the bias of {operation} of this problem");
        return bias.Span;
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
