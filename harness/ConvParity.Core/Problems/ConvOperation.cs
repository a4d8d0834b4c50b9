namespace ConvParity.Problems;

/// <summary>Which of the three linear maps of a <see cref="ConvProblem"/> is computed.</summary>
public enum ConvOperation
{
    /// <summary>y = conv(x, w): operands (x, w), result y.</summary>
    Forward,

    /// <summary>The adjoint with respect to the input (transposed convolution): operands (dy, w), result dx.</summary>
    GradInput,

    /// <summary>The adjoint with respect to the weights: operands (x, dy), result dw.</summary>
    GradWeights,
}
