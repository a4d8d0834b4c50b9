using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Judging;
using ConvParity.Tensors;

namespace ConvParity.Fixtures;

/// <summary>
/// One fixture case made ready for any number of engines: arrays read, call planned, error bound
/// computed once. A case that cannot be made ready still yields a result per engine, never a pass.
/// </summary>
public sealed class FixtureCheck
{
    private readonly string _suiteName;
    private readonly CaseOutcome? _preparationOutcome;

    // Stryker disable once String : read only when a preparation outcome is set, and that sets the message too
    private readonly string _preparationMessage = "";
    private readonly ConvPlan? _plan;
    private readonly Tensor? _first,
        _second,
        _bias;
    private readonly ErrorBound? _bound;

    private FixtureCheck(string suiteName, FixtureCase fixtureCase) => (_suiteName, Case) = (suiteName, fixtureCase);

    private FixtureCheck(string suiteName, FixtureCase fixtureCase, CaseOutcome outcome, string message)
        : this(suiteName, fixtureCase) => (_preparationOutcome, _preparationMessage) = (outcome, message);

    private FixtureCheck(
        string suiteName,
        FixtureCase fixtureCase,
        ConvPlan plan,
        Tensor first,
        Tensor second,
        Tensor? bias,
        ErrorBound bound
    )
        : this(suiteName, fixtureCase) => (_plan, _first, _second, _bias, _bound) = (plan, first, second, bias, bound);

    /// <summary>The case.</summary>
    public FixtureCase Case { get; }

    /// <summary>The plan the conventions made of the call, when they made one.</summary>
    public ConvPlan? Plan => _plan;

    /// <summary>The canonical operands of the plan, when the case was made ready.</summary>
    public (Tensor First, Tensor Second)? Operands => _first is null ? null : (_first, _second!);

    /// <summary>The canonical bias (one value per channel of the result), when the case was made ready and its call
    /// adds one.</summary>
    public Tensor? Bias => _bias;

    /// <summary>The error bound, holding the library's answer as <see cref="ErrorBound.Expected"/>, when the case was
    /// made ready.</summary>
    public ErrorBound? Bound => _bound;

    /// <summary>
    /// Null when the case was made ready for engines. Otherwise the outcome every engine gets without
    /// running: Failed or Unsupported when the case could not be made ready; for a case the library
    /// refused ("raises"), Passed when the convention refuses the call too, Failed when it plans it.
    /// </summary>
    public CaseOutcome? PreparationOutcome => _preparationOutcome;

    /// <summary>
    /// Whether the case records a refusal ("raises") whose call the conventions plan: its arrays were read and are
    /// sound, and the case fails because an engine would return numbers (the library may have changed its mind).
    /// </summary>
    public bool PlansRefusedCall { get; private init; }

    /// <summary>Why no engine runs on the case (the outcome's reason), or null when the case was made ready.</summary>
    public string? PreparationProblem => _preparationOutcome is null ? null : _preparationMessage;

    /// <summary>
    /// Reads the case's arrays (within the suite's <see cref="FixtureSuite.MaxCaseBytes"/>), plans the call and
    /// computes the bound. Whatever is wrong with the case becomes its outcome and reason; nothing is thrown.
    /// </summary>
    public static FixtureCheck Prepare(FixtureSuite suite, FixtureCase fixtureCase)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(fixtureCase);
        if (ConventionRegistry.Refusal(fixtureCase.Call, fixtureCase.Args.Count) is { } refusal)
            return new(suite.Name, fixtureCase, CaseOutcome.Unsupported, refusal);
        IReadOnlyDictionary<string, FixtureArray> arrays;
        try
        {
            arrays = NpzFile.Read(suite.PathOf(fixtureCase), ArrayNames(fixtureCase), suite.MaxCaseBytes);
            var (first, second) = (arrays[fixtureCase.Args[0]], arrays[fixtureCase.Args[1]]);
            var bias = fixtureCase.Args.Count > 2 ? arrays[fixtureCase.Args[2]] : null;
            return fixtureCase.Expected is { } expected
                ? FromArrays(suite.Name, fixtureCase, first, second, arrays[expected], suite.MaxCaseBytes, bias)
                : FromRefusal(suite.Name, fixtureCase, first, second, bias);
        }
        catch (FixtureException e)
        {
            return new(suite.Name, fixtureCase, CaseOutcome.Failed, e.Message);
        }
        catch (Exception e) // whatever else a hostile case provokes is that case's verdict; the run goes on
        {
            return new(
                suite.Name,
                fixtureCase,
                CaseOutcome.Failed,
                $"the case could not be prepared: {e.GetType().Name}: {e.Message}"
            );
        }
    }

    /// <summary>The arrays a case reads: its arguments, and the answer unless the library refused the call.</summary>
    private static string[] ArrayNames(FixtureCase fixtureCase) =>
        [.. fixtureCase.Args, .. fixtureCase.Expected is { } expected ? [expected] : Array.Empty<string>()];

    /// <summary>
    /// A case the library refused ("raises"): passed when the conventions refuse the call too (with an
    /// error naming the argument), failed when they plan it, for then an engine would return numbers.
    /// <paramref name="bias"/>: the third array argument (torch's and ONNX's bias), when the case has one.
    /// </summary>
    public static FixtureCheck FromRefusal(
        string suiteName,
        FixtureCase fixtureCase,
        FixtureArray first,
        FixtureArray second,
        FixtureArray? bias = null
    )
    {
        ArgumentNullException.ThrowIfNull(suiteName);
        ArgumentNullException.ThrowIfNull(fixtureCase);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var raises =
            fixtureCase.Raises
            ?? throw new ArgumentException(
                $"case {fixtureCase.Id} records an answer, not a refusal",
                nameof(fixtureCase)
            );
        return Planned(
                suiteName,
                fixtureCase,
                first,
                second,
                bias,
                CaseOutcome.Passed,
                $"refused, as the library refused it ({raises})",
                out var plan
            )
            ?? new(
                suiteName,
                fixtureCase,
                CaseOutcome.Failed,
                $"the library refused the call ({raises}) but the convention plans it, "
                    + $"so an engine would return numbers: {plan!.Explanation}"
            )
            {
                PlansRefusedCall = true,
            };
    }

    /// <summary>
    /// Plans the case's call: null with the plan, or the check every engine gets when no plan is made:
    /// unsupported when no convention handles the call, <paramref name="refused"/> (with <paramref name="why"/>
    /// and the convention's reason) when the convention refuses it.
    /// </summary>
    private static FixtureCheck? Planned(
        string suiteName,
        FixtureCase fixtureCase,
        FixtureArray first,
        FixtureArray second,
        FixtureArray? bias,
        CaseOutcome refused,
        string why,
        out ConvPlan? plan
    )
    {
        plan = null;
        if (ConventionRegistry.Refusal(fixtureCase.Call, fixtureCase.Args.Count) is { } refusal)
            return new(suiteName, fixtureCase, CaseOutcome.Unsupported, refusal);
        try
        {
            plan = ConventionRegistry.Plan(
                fixtureCase.Call,
                bias is null
                    ? [first.Tensor.ShapeArray(), second.Tensor.ShapeArray()]
                    : [first.Tensor.ShapeArray(), second.Tensor.ShapeArray(), bias.Tensor.ShapeArray()],
                fixtureCase.Kwargs
            );
            return null;
        }
        catch (UnsupportedCallException e)
        {
            return new(suiteName, fixtureCase, CaseOutcome.Unsupported, e.Message);
        }
        catch (InvalidCallException e)
        {
            return new(suiteName, fixtureCase, refused, $"{why}: {e.Message}");
        }
    }

    /// <summary>
    /// Waits for the case's turn: a case estimated above an eighth of the suite's cap is prepared and run one at a
    /// time (<see cref="CaseLimits.LargeCaseTurn"/>), so cases checked in parallel stay near the cap together.
    /// Dispose the result once the case's check is done with.
    /// </summary>
    public static IDisposable Turn(FixtureSuite suite, FixtureCase fixtureCase)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(fixtureCase);
        long? estimate;
        try
        {
            estimate = NpzFile.EstimatedBytes(suite.PathOf(fixtureCase), ArrayNames(fixtureCase));
        }
        catch (Exception)
        {
            estimate = null;
        } // whatever is wrong with the file, Prepare names it as the case's verdict
        return CaseLimits.LargeCaseTurn(
            estimate is { } bytes && bytes <= suite.MaxCaseBytes ? bytes : 0,
            suite.MaxCaseBytes
        );
    }

    /// <summary>
    /// Plans the call of <paramref name="fixtureCase"/> and computes the bound for arrays already in
    /// memory (a live reference's answer, for example): the same checks as a case read from a suite.
    /// </summary>
    /// <param name="suiteName">The suite's name, for the results.</param>
    /// <param name="fixtureCase">The case: its call and kwargs.</param>
    /// <param name="first">The first array argument.</param>
    /// <param name="second">The second array argument.</param>
    /// <param name="expected">The library's answer.</param>
    /// <param name="maxCaseBytes">The case cap, which also caps the work (<see cref="CaseLimits.MaxWork"/>).</param>
    /// <param name="bias">The third array argument (torch's and ONNX's bias), when the case has one.</param>
    public static FixtureCheck FromArrays(
        string suiteName,
        FixtureCase fixtureCase,
        FixtureArray first,
        FixtureArray second,
        FixtureArray expected,
        long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes,
        FixtureArray? bias = null
    )
    {
        ArgumentNullException.ThrowIfNull(suiteName);
        ArgumentNullException.ThrowIfNull(fixtureCase);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(expected);
        if (fixtureCase.Raises is { } raised)
            throw new ArgumentException(
                $"case {fixtureCase.Id} records a refusal ({raised}), not an answer",
                nameof(fixtureCase)
            );
        if (
            Planned(
                suiteName,
                fixtureCase,
                first,
                second,
                bias,
                CaseOutcome.Failed,
                "the convention refused a call the library answered",
                out var planned
            ) is
            { } unplanned
        )
            return unplanned;
        var plan = planned!;
        if (!Tensor.SameShape(plan.ResultShape, expected.Tensor.Shape))
            return new(
                suiteName,
                fixtureCase,
                CaseOutcome.Failed,
                $"the plan gives shape [{Tensor.FormatShape(plan.ResultShape)}] but the library answered "
                    + $"[{Tensor.FormatShape(expected.Tensor.Shape)}]: {plan.Explanation}"
            );
        var (a, b) = plan.Operands(first.Tensor, second.Tensor, fixtureCase.Args[0], fixtureCase.Args[1]);
        var canonicalBias = bias is null ? null : plan.BiasOperand(bias.Tensor, fixtureCase.Args[2]);
        double work =
            plan.Problem.ResultShape(plan.Operation).Aggregate(1.0, (n, d) => n * d)
            * plan.Problem.ProductsPerResult(plan.Operation);
        if (work > CaseLimits.MaxWork(maxCaseBytes))
            return new(
                suiteName,
                fixtureCase,
                CaseOutcome.Failed,
                $"the case asks for {work:G3} multiply-adds per engine, "
                    + $"above the cap of {CaseLimits.MaxWork(maxCaseBytes):G3} "
                    + $"(2 per byte of the per-case cap; raise it with {CaseLimits.Option}): {plan.Explanation}"
            );
        var bound = ErrorBound.For(
            plan,
            a,
            b,
            expected.Tensor,
            inputsRounded: first.Rounded || second.Rounded || bias?.Rounded == true,
            canonicalBias
        );
        return new(suiteName, fixtureCase, plan, a, b, canonicalBias, bound);
    }

    /// <summary>Runs <paramref name="engine"/> on the case and judges its answer.</summary>
    public CaseResult Run(IConvEngine engine) => RunKeepingAnswer(engine).Result;

    /// <summary>Runs <paramref name="engine"/> on the case, judges its answer, and returns the answer too (null when
    /// there is none).</summary>
    public (CaseResult Result, Tensor? Actual) RunKeepingAnswer(IConvEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (_preparationOutcome is { } outcome)
            return (Result(engine.Name, outcome, _preparationMessage, null), null);
        Tensor actual;
        try
        {
            actual = _plan!.Result(engine.Run(_plan.Problem, _plan.Operation, _first!, _second!, _bias));
        }
        catch (Exception e) // Whatever an engine throws, the case is reported as failed; the checker goes on.
        {
            return (
                Result(engine.Name, CaseOutcome.Failed, $"the engine threw {e.GetType().Name}: {e.Message}", null),
                null
            );
        }
        return (Judge(engine.Name, actual), actual);
    }

    /// <summary>
    /// Judges an answer obtained elsewhere (another run of the library, for example), in the library's
    /// result shape, against the case's reference under the same bound; <paramref name="source"/> names it.
    /// </summary>
    public CaseResult Judge(string source, Tensor actual)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(actual);
        if (Case.Raises is { } raises)
            return Result(
                source,
                CaseOutcome.Failed,
                $"the library refused this call ({raises}), yet {source} answered it with numbers",
                null
            );
        if (_preparationOutcome is { } outcome)
            return Result(source, outcome, _preparationMessage, null);
        var verdict = _bound!.Judge(actual);
        return Result(source, verdict.Passed ? CaseOutcome.Passed : CaseOutcome.Failed, verdict.ToString(), verdict);
    }

    private CaseResult Result(string engine, CaseOutcome outcome, string message, Verdict? verdict) =>
        new(_suiteName, Case.Id, Case.Call, engine, outcome, message, verdict);
}
