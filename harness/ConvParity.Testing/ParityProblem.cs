using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Testing;

/// <summary>
/// What an answer is judged against: a library call's plan, its two operands and its bias if it has one (the error
/// bound needs them: it is computed from sum |x||w| + |b| per element).
/// </summary>
public sealed class ParityProblem
{
    /// <summary>A problem from a plan and its canonical operands.</summary>
    /// <param name="name">Named in failure messages (a case id, say).</param>
    /// <param name="plan">The plan of the library call.</param>
    /// <param name="first">The first canonical operand (or the library's array, which is viewed as it).</param>
    /// <param name="second">The second canonical operand.</param>
    /// <param name="inputsRounded">The library saw more precise inputs than these float32 ones.</param>
    /// <param name="bias">The bias (one value per channel of the result), required where the plan adds one
    /// (<see cref="ConvPlan.ArrayCount"/> 3).</param>
    /// <exception cref="ArgumentException">An operand does not fit the plan, or the bias is missing or
    /// extra.</exception>
    public ParityProblem(
        string name,
        ConvPlan plan,
        Tensor first,
        Tensor second,
        bool inputsRounded = false,
        Tensor? bias = null
    )
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(plan);
        Name = name;
        Plan = plan;
        (First, Second) = plan.Operands(first, second, "first", "second");
        if (bias is null && plan.ArrayCount == 3)
            throw new ArgumentException($"{plan.Call} adds a bias here; none was given.", nameof(bias));
        Bias = bias is null ? null : plan.BiasOperand(bias, nameof(bias));
        InputsRounded = inputsRounded;
    }

    /// <summary>
    /// The problem of a library call on its own arrays, e.g.
    /// <c>ParityProblem.Of("scipy.signal.correlate", x, w, new JsonObject { ["mode"] = "same" })</c>.
    /// </summary>
    /// <exception cref="UnsupportedCallException">The call or an argument is not handled.</exception>
    /// <exception cref="ArgumentException">The library itself would refuse these arguments.</exception>
    public static ParityProblem Of(
        string call,
        Tensor first,
        Tensor second,
        JsonObject? kwargs = null,
        Tensor? bias = null
    )
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        int[][] shapes = bias is null
            ? [first.ShapeArray(), second.ShapeArray()]
            : [first.ShapeArray(), second.ShapeArray(), bias.ShapeArray()];
        var plan = ConventionRegistry.Plan(call, shapes, kwargs);
        return new ParityProblem(call, plan, first, second, bias: bias);
    }

    /// <summary>
    /// A problem given as a <see cref="ConvProblem"/> rather than a library call: <paramref name="operation"/> on its
    /// canonical operands, judged under the bound of a direct sum (the reference engine's algorithm), e.g. to test an
    /// engine against the reference engine on problems no library call reaches.
    /// </summary>
    /// <param name="problem">The problem.</param>
    /// <param name="operation">Which of its linear maps is computed.</param>
    /// <param name="first">The first canonical operand (see <see cref="ConvProblem.OperandShapes"/>).</param>
    /// <param name="second">The second canonical operand.</param>
    /// <exception cref="ArgumentException">An operand does not have the shape the operation needs.</exception>
    public static ParityProblem Of(ConvProblem problem, ConvOperation operation, Tensor first, Tensor second)
    {
        ArgumentNullException.ThrowIfNull(problem);
        string text = problem.ToString();
        var plan = new ConvPlan(
            nameof(ConvProblem),
            problem,
            operation,
            problem.ResultShape(operation),
            ReferenceAlgorithm.Direct,
            text
        );
        return new ParityProblem(text, plan, first, second);
    }

    /// <summary>Runs <paramref name="engine"/> on the problem's operands: its answer in the canonical result
    /// shape.</summary>
    /// <param name="engine">The engine to run.</param>
    public Tensor Run(IConvEngine engine) => engine.Run(Plan.Problem, Plan.Operation, First, Second);

    /// <summary>The name used in failure messages.</summary>
    public string Name { get; }

    /// <summary>The plan: problem, operation, result shape, and how the library computes it.</summary>
    public ConvPlan Plan { get; }

    /// <summary>The first canonical operand.</summary>
    public Tensor First { get; }

    /// <summary>The second canonical operand.</summary>
    public Tensor Second { get; }

    /// <summary>The canonical bias, where the call adds one.</summary>
    public Tensor? Bias { get; }

    /// <summary>Whether the library saw more precise inputs than float32.</summary>
    public bool InputsRounded { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
