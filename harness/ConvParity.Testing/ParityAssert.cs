using System.Globalization;
using System.Text;
using ConvParity.Engines;
using ConvParity.Judging;
using ConvParity.Tensors;
using NUnit.Framework;

namespace ConvParity.Testing;

/// <summary>
/// NUnit assertions for your own convolution: the answer must lie within the float32 error bound of the
/// library's answer, element by element, with NaN and Inf exactly where the library has them. A failure
/// names the case, the worst element (index, both values, difference, bound, ratio) and the likely cause.
/// </summary>
public static class ParityAssert
{
    /// <summary>
    /// Asserts that <paramref name="actual"/> matches the library's <paramref name="expected"/> for
    /// <paramref name="problem"/>. <paramref name="actual"/> may be in the library's result shape or in the
    /// canonical one (N, K, spatial...).
    /// </summary>
    public static void Matches(Tensor actual, Tensor expected, ParityProblem problem)
    {
        string? failure = Failure(actual, expected, problem);
        if (failure is not null)
            Assert.Fail(failure);
    }

    /// <summary>Runs <paramref name="engine"/> on <paramref name="parityCase"/> and asserts its answer matches the
    /// library's.</summary>
    public static void Matches(IConvEngine engine, ParityCase parityCase)
    {
        ArgumentNullException.ThrowIfNull(parityCase);
        if (parityCase.RecordedNow is { } recorded)
            TestContext.Out.WriteLine(recorded);
        Matches(parityCase.Run(engine), parityCase.Expected, parityCase.Problem);
    }

    /// <summary>The verdict on <paramref name="actual"/>, without asserting.</summary>
    public static Verdict Judge(Tensor actual, Tensor expected, ParityProblem problem)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(problem);
        var canonical = problem.Plan.Problem.ResultShape(problem.Plan.Operation);
        if (
            !Tensor.SameShape(actual.Shape, expected.Shape)
            && Tensor.SameShape(actual.Shape, canonical)
            && actual.Length == expected.Length
        )
            actual = actual.Reshape(expected.ShapeArray());
        var bound = ErrorBound.For(
            problem.Plan,
            problem.First,
            problem.Second,
            expected,
            problem.InputsRounded,
            problem.Bias
        );
        return bound.Judge(actual);
    }

    /// <summary>
    /// The verdict on <paramref name="engine"/>'s answer to <paramref name="problem"/>, judged against the reference
    /// engine's (plain loops, double accumulation), without asserting.
    /// </summary>
    /// <param name="engine">The engine under test.</param>
    /// <param name="problem">The problem and its operands.</param>
    /// <param name="alter">Applied to the engine's answer before it is judged (a test that the judge can fail).</param>
    public static Verdict JudgeAgainstReference(
        IConvEngine engine,
        ParityProblem problem,
        Func<Tensor, Tensor>? alter = null
    )
    {
        ArgumentNullException.ThrowIfNull(problem);
        var actual = problem.Run(engine);
        return Judge(alter is null ? actual : alter(actual), problem.Run(new ReferenceEngine()), problem);
    }

    /// <summary>The failure message for <paramref name="actual"/>, or null when it matches.</summary>
    public static string? Failure(Tensor actual, Tensor expected, ParityProblem problem)
    {
        var verdict = Judge(actual, expected, problem);
        return verdict.Passed ? null : Message(problem, verdict);
    }

    private static string Message(ParityProblem problem, Verdict verdict)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"case {problem.Name} ({problem.Plan.Call}): ");
        if (verdict.Reason is not null)
            return text.Append(verdict.Reason).ToString();
        string nonFinite =
            verdict.NonFiniteMismatches > 0 ? $" ({verdict.NonFiniteMismatches} NaN/Inf mismatches)" : "";
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"{verdict.Failures} of {verdict.Elements} elements beyond the float32 error bound{nonFinite}"
        );
        var worst = verdict.Worst!;
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"  worst element [{Tensor.FormatShape(worst.Index)}]: actual {worst.Actual:R}, "
                + $"expected {worst.Expected:R}, difference {worst.Difference:G3}, "
                + $"bound {worst.Bound:G3}, {worst.Ratio:G3} x bound"
        );
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"  error {verdict.WorstTypicalRatio:G3} x sqrt(n)*u*S ({verdict.Quality}); bound {verdict.BoundKind}; "
                + $"the call means: {problem.Plan.Explanation}"
        );
        text.Append(CultureInfo.InvariantCulture, $"  likely cause: {verdict.LikelyCause ?? "not searched"}");
        return text.ToString();
    }
}
