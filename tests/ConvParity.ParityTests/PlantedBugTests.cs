using ConvParity.Explaining;
using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>
/// The judge is neither blind nor flaky: on the committed fixtures (real Theano's grid, the question's data),
/// every planted bug fails wherever it changes the computation, and its likely cause is named; correct
/// float32 engines that sum in other orders pass every case.
/// </summary>
public sealed class PlantedBugTests
{
    private static readonly string[] Suites = ["theano", "seed"];

    private static readonly Lazy<IReadOnlyList<FixtureCheck>> Checks = new(() =>
        [
            .. Suites
                .Select(name => FixtureSuite.Load(Path.Combine(Repository.Fixtures, name)))
                .SelectMany(suite =>
                    suite.Cases.Where(Curated).AsParallel().AsOrdered().Select(c => FixtureCheck.Prepare(suite, c))
                ),
        ]
    );

    /// <summary>
    /// The answered cases of the seed suite and of the theano suite's grid. Its seeded random draws are
    /// left out: some are degenerate (every product reads padding, so the answer is all zeros and no bug
    /// shows; or one output element, where several neighbouring conventions agree), which is no fault of the judge.
    /// </summary>
    private static bool Curated(FixtureCase c) =>
        c.Raises is null && !c.Id.Contains("/random/", StringComparison.Ordinal);

    [TestCase(Summation.Natural)]
    [TestCase(Summation.Reversed)]
    [TestCase(Summation.Pairwise)]
    [TestCase(Summation.FusedMultiplyAdd)]
    public void A_correct_float32_engine_passes_every_case_whatever_its_summation_order(Summation summation)
    {
        var engine = new SummingEngine(summation);
        var results = Checks.Value.AsParallel().Select(check => check.Run(engine)).ToList();
        Assert.That(
            results.Where(r => r.Outcome != CaseOutcome.Passed).Select(f => $"{f.CaseId}: {f.Message}"),
            Is.Empty
        );
        Assert.That(
            Checks.Value,
            Has.Count.EqualTo(114),
            "the answered grid and path cases of the theano suite and the seed suite"
        );
        TestContext.Out.WriteLine(
            $"{summation}: worst error {results.Max(r => r.Verdict!.WorstRatio):G3} x bound, "
                + $"{results.Max(r => r.Verdict!.WorstTypicalRatio):G3} x sqrt(n)*u*S"
        );
    }

    [TestCase(PlantedBug.MissingFlip, "kernel not flipped")]
    [TestCase(PlantedBug.AnchorOffByOne, "by +1")]
    [TestCase(PlantedBug.PadOnWrongSide, "pads swapped")]
    [TestCase(PlantedBug.WrongStridePhase, "stride phase off by +1")]
    [TestCase(PlantedBug.Tf32Inputs, "TF32")]
    [TestCase(PlantedBug.Float16Inputs, "float16")]
    public void A_planted_bug_fails_every_case_it_affects_and_its_cause_is_named(PlantedBug bug, string cause)
    {
        var engine = new SummingEngine(Summation.Natural, bug);
        var results = Checks
            .Value.AsParallel()
            .AsOrdered()
            .Select(check => (Affected: Affects(bug, check), Result: check.Run(engine)))
            .ToList();
        var affected = results.Where(r => r.Affected).Select(r => r.Result).ToList();

        Assert.That(affected, Is.Not.Empty, "the fixtures hold cases this bug changes");
        Assert.Multiple(() =>
        {
            Assert.That(
                affected.Where(r => r.Outcome != CaseOutcome.Failed).Select(r => $"{r.CaseId}: {r.Message}"),
                Is.Empty,
                "affected cases that were not caught"
            );
            Assert.That(
                affected
                    .Where(r => !r.Message.Contains(cause, StringComparison.Ordinal))
                    .Select(r => $"{r.CaseId}: {r.Message}"),
                Is.Empty,
                $"failures whose likely cause does not name '{cause}'"
            );
            // Where the bug changes nothing the engine is correct, and must pass.
            Assert.That(
                results
                    .Where(r => !r.Affected && r.Result.Outcome != CaseOutcome.Passed)
                    .Select(r => $"{r.Result.CaseId}: {r.Result.Message}"),
                Is.Empty
            );
        });
        TestContext.Out.WriteLine(
            $"{bug}: {affected.Count} of {results.Count} cases affected, all caught; "
                + $"the least caught is {affected.Min(r => r.Verdict!.WorstRatio):G3} x bound; "
                + $"quality {affected.MinBy(r => r.Verdict!.WorstTypicalRatio)!.Verdict!.Quality}"
        );
    }

    /// <summary>Whether the bug changes the computation of this case (otherwise the engine is simply correct
    /// there).</summary>
    private static bool Affects(PlantedBug bug, FixtureCheck check)
    {
        var p = check.Plan!.Problem;
        var (first, second) = check.Operands!.Value;
        bool Rounds(OperandRounding precision) =>
            first.Span.ToArray().Concat(second.Span.ToArray()).Any(v => !Rounding.Apply(precision, v).Equals(v));
        return bug switch
        {
            PlantedBug.MissingFlip => p.Flip && p.KernelSize.Any(k => k > 1),
            PlantedBug.AnchorOffByOne => true,
            PlantedBug.PadOnWrongSide => Enumerable.Range(0, p.Rank).Any(a => p.PadBefore[a] != p.PadAfter[a]),
            PlantedBug.WrongStridePhase => p.Stride.Any(s => s > 1),
            PlantedBug.Tf32Inputs => Rounds(OperandRounding.Tf32),
            PlantedBug.Float16Inputs => Rounds(OperandRounding.Float16),
            _ => false,
        };
    }
}
