using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Conventions;

/// <summary>
/// What a library call means on <see cref="ConvProblem"/>: the problem, the operation, and how the
/// library's arrays map onto the canonical operands. Every mapping is a reshape (same element order),
/// never a transpose, so operands and result move between layouts without copying.
/// </summary>
/// <param name="Call">The library function, fully qualified.</param>
/// <param name="Problem">The general problem the call lowers to.</param>
/// <param name="Operation">Which linear map of the problem the call computes.</param>
/// <param name="ResultShape">The shape of the library's answer (copied).</param>
/// <param name="Algorithm">How the library computes it (decides the error bound).</param>
/// <param name="Explanation">The index rule in words, for people reading a verdict.</param>
public sealed record ConvPlan(
    string Call,
    ConvProblem Problem,
    ConvOperation Operation,
    IReadOnlyList<int> ResultShape,
    ReferenceAlgorithm Algorithm,
    string Explanation
)
{
    /// <summary>The shape of the library's answer.</summary>
    public IReadOnlyList<int> ResultShape { get; } =
        Array.AsReadOnly(ResultShape?.ToArray() ?? throw new ArgumentNullException(nameof(ResultShape)));

    /// <summary>
    /// Whether the library takes the two operands in the other order: the second canonical operand first
    /// (torch.nn.grad.convNd_input(input_size, weight, grad_output) passes the weight before the output gradient).
    /// <see cref="Operands"/> puts them back in canonical order.
    /// </summary>
    public bool SwapsArguments { get; init; }

    /// <summary>Whether <paramref name="other"/> is the same plan: every member equal, the shape axis by
    /// axis.</summary>
    public bool Equals(ConvPlan? other) =>
        other is not null
        && (
            ReferenceEquals(this, other)
            || Call == other.Call
                && Problem == other.Problem
                && Operation == other.Operation
                && ResultShape.SequenceEqual(other.ResultShape)
                && Algorithm == other.Algorithm
                && Explanation == other.Explanation
                && SwapsArguments == other.SwapsArguments
        );

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Call);
        hash.Add(Problem);
        hash.Add(Operation);
        foreach (int d in ResultShape)
            hash.Add(d);
        hash.Add(Algorithm);
        hash.Add(Explanation);
        hash.Add(SwapsArguments);
        return hash.ToHashCode();
    }

    /// <summary>The canonical shapes of the two operands, in canonical order (<see
    /// cref="ConvProblem.OperandShapes"/>).</summary>
    public (int[] First, int[] Second) OperandShapes => Problem.OperandShapes(Operation);

    /// <summary>Views the library's two arrays, given in the library's argument order, as the canonical operands in
    /// canonical order (reshape only; see <see cref="SwapsArguments"/>).</summary>
    /// <exception cref="ArgumentException">An array does not hold the element count the plan needs.</exception>
    public (Tensor First, Tensor Second) Operands(Tensor first, Tensor second, string firstName, string secondName)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var (a, b) = OperandShapes;
        return SwapsArguments
            ? (View(second, a, secondName), View(first, b, firstName))
            : (View(first, a, firstName), View(second, b, secondName));
    }

    /// <summary>How many arrays the library takes for this plan: the two operands, and a bias where the problem adds
    /// one (<see cref="ConvProblem.BiasShape"/>).</summary>
    public int ArrayCount => Problem.BiasShape(Operation) is null ? 2 : 3;

    /// <summary>Views the library's bias array as the canonical bias operand (reshape only).</summary>
    /// <exception cref="ArgumentException">The plan takes no bias, or the array does not hold one value per
    /// channel.</exception>
    public Tensor BiasOperand(Tensor bias, string name)
    {
        ArgumentNullException.ThrowIfNull(bias);
        var shape =
            Problem.BiasShape(Operation)
            ?? throw new ArgumentException($"{Call} takes no bias here; {name} was given.", name);
        return View(bias, shape, name);
    }

    /// <summary>Views a canonical result in the library's result shape (reshape only).</summary>
    public Tensor Result(Tensor canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return canonical.Reshape([.. ResultShape]);
    }

    private static Tensor View(Tensor t, int[] shape, string name)
    {
        if (Tensor.ElementCount(shape, name) != t.Length)
            throw new ArgumentException(
                $"{name} [{Tensor.FormatShape(t.Shape)}] cannot be viewed as the canonical operand "
                    + $"[{Tensor.FormatShape(shape)}].",
                name
            );
        return t.Reshape(shape);
    }
}
