using System.Text.Json.Nodes;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Tensors;

namespace ConvParity.Testing;

/// <summary>One case of a fixture suite, ready for a test: the call, the operands, the library's answer.</summary>
public sealed class ParityCase
{
    private readonly FixtureCheck _check;

    internal ParityCase(FixtureSuite suite, FixtureCheck check)
    {
        Suite = suite.Name;
        _check = check;
    }

    /// <summary>The suite's name.</summary>
    public string Suite { get; }

    /// <summary>The case id, unique in its suite.</summary>
    public string Id => _check.Case.Id;

    /// <summary>The library call, fully qualified.</summary>
    public string Call => _check.Case.Call;

    /// <summary>Its keyword arguments, in the library's words.</summary>
    public JsonObject Kwargs => _check.Case.Kwargs;

    /// <summary>Whether the case could be read and planned (otherwise <see cref="Problem"/> throws with the reason).</summary>
    public bool IsReady => _check.PreparationProblem is null;

    /// <summary>Why no convention here handles the call, or null when one does.</summary>
    public string? Unsupported => _check.PreparationOutcome == CaseOutcome.Unsupported ? _check.PreparationProblem : null;

    /// <summary>
    /// Why there is nothing to compute, or null: the library refused the call (a "raises" case) and the
    /// convention refuses it too. (Where the convention plans such a call, <see cref="Problem"/> throws why that is wrong.)
    /// </summary>
    public string? Refused => _check.Case.Raises is not null && _check.PreparationOutcome == CaseOutcome.Passed ? _check.PreparationProblem : null;

    /// <summary>The plan and the canonical operands, for <see cref="ParityAssert.Matches(Tensor, Tensor, ParityProblem)"/>.</summary>
    /// <exception cref="InvalidOperationException">The case could not be read or planned; the message says why.</exception>
    public ParityProblem Problem => IsReady
        ? new ParityProblem(Id, _check.Plan!, _check.Operands!.Value.First, _check.Operands!.Value.Second, _check.Bound!.InputsRounded)
        : throw new InvalidOperationException($"case {Id}: {_check.PreparationProblem}");

    /// <summary>The library's answer, in its own shape.</summary>
    /// <exception cref="InvalidOperationException">The case could not be read or planned.</exception>
    public Tensor Expected => _check.Bound?.Expected ?? throw new InvalidOperationException($"case {Id}: {_check.PreparationProblem}");

    /// <summary>Runs <paramref name="engine"/> on the case's problem (the answer in the library's shape).</summary>
    public Tensor Run(IConvEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var problem = Problem;
        return problem.Plan.Result(engine.Run(problem.Plan.Problem, problem.Plan.Operation, problem.First, problem.Second));
    }

    /// <inheritdoc />
    public override string ToString() => Id;
}
