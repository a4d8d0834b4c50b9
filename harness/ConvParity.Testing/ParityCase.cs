using System.Text.Json.Nodes;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Tensors;

namespace ConvParity.Testing;

/// <summary>One case of a fixture suite, ready for a test: the call, the operands, the library's answer.</summary>
public sealed class ParityCase
{
    private readonly FixtureCheck? _check;
    private readonly string? _missing;

    internal ParityCase(FixtureSuite suite, FixtureCheck check)
    {
        Suite = suite.Name;
        _check = check;
        (Id, Call, Kwargs) = (check.Case.Id, check.Case.Call, check.Case.Kwargs);
    }

    /// <summary>A case a spec names that has no recording: every use of its problem fails with <paramref
    /// name="missing"/>.</summary>
    internal ParityCase(string suite, string id, string call, JsonObject kwargs, string missing)
    {
        Suite = suite;
        (Id, Call, Kwargs) = (id, call, kwargs);
        _missing = missing;
    }

    /// <summary>The suite's name.</summary>
    public string Suite { get; }

    /// <summary>The case id, unique in its suite.</summary>
    public string Id { get; }

    /// <summary>The library call, fully qualified.</summary>
    public string Call { get; }

    /// <summary>Its keyword arguments, in the library's words.</summary>
    public JsonObject Kwargs { get; }

    /// <summary>Whether the case could be read and planned (otherwise <see cref="Problem"/> throws with the
    /// reason).</summary>
    public bool IsReady => _check is not null && _check.PreparationProblem is null;

    /// <summary>Why the case has no recording (<see cref="ParityCases.Recorded(string, string)"/>), or null when it has
    /// one.</summary>
    public string? NotRecorded => _missing;

    /// <summary>
    /// What recorded this case in this run (<see cref="ParityCases.Recorded(string, string)"/>), or null when it was
    /// replayed; <see cref="ParityAssert.Matches(IConvEngine, ParityCase)"/> writes it to the test's output.
    /// </summary>
    public string? RecordedNow { get; internal set; }

    /// <summary>Why no convention here handles the call, or null when one does.</summary>
    public string? Unsupported =>
        _check?.PreparationOutcome == CaseOutcome.Unsupported ? _check.PreparationProblem : null;

    /// <summary>
    /// Why there is nothing to compute, or null: the library refused the call (a "raises" case) and the
    /// convention refuses it too. (Where the convention plans such a call, <see cref="Problem"/> throws why that is
    /// wrong.)
    /// </summary>
    public string? Refused =>
        _check is not null && _check.Case.Raises is not null && _check.PreparationOutcome == CaseOutcome.Passed
            ? _check.PreparationProblem
            : null;

    /// <summary>The plan and the canonical operands, for <see cref="ParityAssert.Matches(Tensor, Tensor,
    /// ParityProblem)"/>.</summary>
    /// <exception cref="InvalidOperationException">The case could not be read or planned; the message says
    /// why.</exception>
    public ParityProblem Problem =>
        IsReady
            ? new ParityProblem(
                Id,
                _check!.Plan!,
                _check.Operands!.Value.First,
                _check.Operands!.Value.Second,
                _check.Bound!.InputsRounded,
                _check.Bias
            )
            : throw new InvalidOperationException($"case {Id}: {Why}");

    /// <summary>The library's answer, in its own shape.</summary>
    /// <exception cref="InvalidOperationException">The case could not be read or planned.</exception>
    public Tensor Expected => _check?.Bound?.Expected ?? throw new InvalidOperationException($"case {Id}: {Why}");

    private string? Why => _missing ?? _check!.PreparationProblem;

    /// <summary>Runs <paramref name="engine"/> on the case's problem (the answer in the library's shape).</summary>
    public Tensor Run(IConvEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var problem = Problem;
        return problem.Plan.Result(
            engine.Run(problem.Plan.Problem, problem.Plan.Operation, problem.First, problem.Second, problem.Bias)
        );
    }

    /// <inheritdoc />
    public override string ToString() => Id;
}
