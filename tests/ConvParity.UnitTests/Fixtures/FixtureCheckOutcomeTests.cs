using System.Text.Json.Nodes;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>
/// What a FixtureCheck holds and answers, case by case: a ready case's plan, operands, bias and bound; each way a
/// case is not made ready and the outcome every engine then gets; the work cap exactly at and one past; an engine
/// that throws; the large-case turn. The arrays are the committed suites' (the real libraries' answers).
/// </summary>
public sealed class FixtureCheckOutcomeTests
{
    private static readonly FixtureSuite Seed = FixtureSuite.Load(Path.Combine(Repository.Fixtures, "seed"));
    private static readonly FixtureSuite Torch = FixtureSuite.Load(Path.Combine(Repository.Fixtures, "torch"));

    private static FixtureCase Flip => Seed.Cases.Single(c => c.Id == FixtureCheckTests.FlipCase);

    private static FixtureCase WithBias => Torch.Cases.First(c => c.Args.Count == 3);

    private static IReadOnlyDictionary<string, FixtureArray> Arrays(FixtureSuite suite, FixtureCase c) =>
        NpzFile.Read(suite.PathOf(c), [.. c.Args, c.Expected!]);

    private static FixtureCheck FromArrays(
        FixtureCase c,
        IReadOnlyDictionary<string, FixtureArray> arrays,
        long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes,
        bool firstRounded = false,
        bool secondRounded = false,
        bool? biasRounded = null
    )
    {
        static FixtureArray Flag(FixtureArray a, bool rounded) => a with { Rounded = rounded };
        return FixtureCheck.FromArrays(
            "s",
            c,
            Flag(arrays[c.Args[0]], firstRounded),
            Flag(arrays[c.Args[1]], secondRounded),
            arrays[c.Expected!],
            maxCaseBytes,
            biasRounded is { } b ? Flag(arrays[c.Args[2]], b) : null
        );
    }

    private static FixtureCase Refused(FixtureCase c, string borderMode) =>
        c with
        {
            Expected = null,
            Raises = new FixtureRaises("ValueError", "invalid border_mode"),
            Kwargs = new JsonObject { ["border_mode"] = borderMode },
        };

    [Test]
    public void A_ready_case_holds_its_plan_operands_bound_and_no_problem()
    {
        var check = FixtureCheck.Prepare(Seed, Flip);
        Assert.That(check.PreparationOutcome, Is.Null);
        Assert.That(check.PreparationProblem, Is.Null);
        Assert.That(check.PlansRefusedCall, Is.False);
        Assert.That(check.Case, Is.SameAs(Flip));
        Assert.That(check.Plan, Is.Not.Null);
        Assert.That(check.Bias, Is.Null, "conv2d adds no bias");
        var (first, second) = check.Operands!.Value;
        Assert.That(first.ShapeArray(), Is.EqualTo(new[] { 1, 1, 6, 6 }));
        Assert.That(second.ShapeArray(), Is.EqualTo(new[] { 1, 1, 6, 6 }));
        Assert.That(check.Bound!.InputsRounded, Is.False);

        var (result, actual) = check.RunKeepingAnswer(new ReferenceEngine());
        Assert.That(actual!.ShapeArray(), Is.EqualTo(new[] { 1, 1, 1, 1 }));
        Assert.That(
            (result.Suite, result.CaseId, result.Call, result.Engine, result.Outcome),
            Is.EqualTo(("seed", Flip.Id, "theano.tensor.nnet.conv2d", "cpu-reference", CaseOutcome.Passed))
        );
        Assert.That(result.Verdict, Is.Not.Null);
        Assert.That(result.Message, Is.EqualTo(result.Verdict!.ToString()));
        Assert.That(check.Judge("again", actual).Outcome, Is.EqualTo(CaseOutcome.Passed));
    }

    [Test]
    public void A_case_with_a_bias_reads_and_plans_its_third_array()
    {
        var check = FixtureCheck.Prepare(Torch, WithBias);
        Assert.That(check.PreparationProblem, Is.Null);
        Assert.That(check.Bias, Is.Not.Null);
        Assert.That(check.Bias!.ShapeArray(), Is.EqualTo(new[] { 3 }));
        Assert.That(check.Run(new ReferenceEngine()).Outcome, Is.EqualTo(CaseOutcome.Passed));
    }

    [TestCase(false, false, null, false)]
    [TestCase(true, false, null, true)]
    [TestCase(false, true, null, true)]
    [TestCase(false, false, false, false)]
    [TestCase(false, false, true, true)]
    public void The_bound_widens_when_any_input_was_rounded(bool first, bool second, bool? bias, bool rounded)
    {
        var c = bias is null ? Flip : WithBias;
        var arrays = Arrays(bias is null ? Seed : Torch, c);
        var check = FromArrays(c, arrays, firstRounded: first, secondRounded: second, biasRounded: bias);
        Assert.That(check.Bound!.InputsRounded, Is.EqualTo(rounded));
        Assert.That(check.Bias is null, Is.EqualTo(bias is null));
    }

    [Test]
    public void The_work_cap_admits_a_case_at_it_and_fails_one_past_it()
    {
        // The flip case: one output of 6 x 6 products, 36 multiply-adds; the cap is 2 per byte.
        var arrays = Arrays(Seed, Flip);
        Assert.That(FromArrays(Flip, arrays, maxCaseBytes: 18).PreparationProblem, Is.Null);
        var over = FromArrays(Flip, arrays, maxCaseBytes: 17);
        Assert.That(over.PreparationOutcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(
            over.PreparationProblem,
            Does.StartWith(
                "the case asks for 36 multiply-adds per engine, above the cap of 34 "
                    + "(2 per byte of the per-case cap; raise it with --max-case-bytes): "
            )
        );
        Assert.That(over.Plan, Is.Null);
        Assert.That(over.Operands, Is.Null);
        Assert.That(over.Bound, Is.Null);
    }

    [Test]
    public void The_work_counts_every_output_element()
    {
        // numpy.convolve 'full' of a 7 and a 3: 9 outputs of at most 3 products.
        var numpy = FixtureSuite.Load(Path.Combine(Repository.Fixtures, "numpy"));
        var c = numpy.Cases.First(x => x.Id.StartsWith("numpy.convolve/grid/full/a7/v3/", StringComparison.Ordinal));
        var over = FromArrays(c, Arrays(numpy, c), maxCaseBytes: 1);
        Assert.That(over.PreparationProblem, Does.StartWith("the case asks for 27 multiply-adds per engine"));
    }

    [Test]
    public void A_raises_case_the_convention_plans_fails_and_says_so()
    {
        var arrays = Arrays(Seed, Flip);
        var check = FixtureCheck.FromRefusal("s", Refused(Flip, "valid"), arrays["input"], arrays["filters"]);
        Assert.That(check.PlansRefusedCall, Is.True);
        Assert.That(check.PreparationOutcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(
            check.PreparationProblem,
            Does.StartWith(
                "the library refused the call (ValueError: invalid border_mode) but the convention plans it, "
                    + "so an engine would return numbers: "
            )
        );
        var refused = FixtureCheck.FromRefusal("s", Refused(Flip, "same"), arrays["input"], arrays["filters"]);
        Assert.That(refused.PlansRefusedCall, Is.False);
        Assert.That(refused.PreparationOutcome, Is.EqualTo(CaseOutcome.Passed));
        Assert.That(
            refused.PreparationProblem,
            Does.StartWith("refused, as the library refused it (ValueError: invalid border_mode): ")
        );
        var (result, actual) = refused.RunKeepingAnswer(new ReferenceEngine());
        Assert.That(
            (result.Outcome, result.Message, actual),
            Is.EqualTo((CaseOutcome.Passed, refused.PreparationProblem, (Tensor?)null))
        );
        var judged = refused.Judge("numpy", new Tensor(new float[1], 1, 1, 1, 1));
        Assert.That(judged.Outcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(
            judged.Message,
            Is.EqualTo(
                "the library refused this call (ValueError: invalid border_mode), yet numpy answered it with numbers"
            )
        );
        Assert.That((judged.Engine, judged.Verdict), Is.EqualTo(("numpy", (Judging.Verdict?)null)));
        Assert.That(() => refused.Judge("numpy", null!), Throws.ArgumentNullException);
    }

    [Test]
    public void A_call_no_convention_handles_is_unsupported_whichever_way_it_comes()
    {
        var arrays = Arrays(Seed, Flip);
        var unknown = Flip with { Call = "os.system" };
        var answered = FromArrays(unknown, arrays);
        var refused = FixtureCheck.FromRefusal("s", Refused(unknown, "same"), arrays["input"], arrays["filters"]);
        foreach (var check in new[] { answered, refused, FixtureCheck.Prepare(Seed, unknown) })
        {
            Assert.That(check.PreparationOutcome, Is.EqualTo(CaseOutcome.Unsupported));
            Assert.That(check.PreparationProblem, Does.Contain("os.system"));
        }
    }

    [Test]
    public void A_call_the_convention_refuses_fails_a_case_the_library_answered()
    {
        var arrays = Arrays(Seed, Flip);
        var check = FromArrays(Flip with { Kwargs = new JsonObject { ["border_mode"] = "same" } }, arrays);
        Assert.That(check.PreparationOutcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(check.PreparationProblem, Does.StartWith("the convention refused a call the library answered: "));
        var judged = check.Judge("other", new Tensor(new float[1], 1, 1, 1, 1));
        Assert.That((judged.Outcome, judged.Message), Is.EqualTo((CaseOutcome.Failed, check.PreparationProblem)));
    }

    [Test]
    public void A_case_whose_file_is_missing_fails_every_engine_with_the_reason()
    {
        var missing = Flip with { File = "none.npz" };
        var check = FixtureCheck.Prepare(Seed, missing);
        Assert.That(check.PreparationOutcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(check.PreparationProblem, Does.EndWith("none.npz: missing .npz file"));
        Assert.That(check.Operands, Is.Null);
        var result = check.Run(new ReferenceEngine());
        Assert.That((result.Outcome, result.Message), Is.EqualTo((CaseOutcome.Failed, check.PreparationProblem)));
    }

    [Test]
    public void An_engine_that_throws_fails_the_case_naming_the_exception()
    {
        var (result, actual) = FixtureCheck.Prepare(Seed, Flip).RunKeepingAnswer(new ThrowingEngine());
        Assert.That(actual, Is.Null);
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(result.Message, Is.EqualTo("the engine threw InvalidOperationException: boom"));
        Assert.That((result.Engine, result.Verdict), Is.EqualTo(("throws", (Judging.Verdict?)null)));
    }

    [Test]
    public void A_wrong_answer_fails_the_judge_with_its_verdict()
    {
        var check = FixtureCheck.Prepare(Seed, Flip);
        var judged = check.Judge("zero", new Tensor(new float[1], 1, 1, 1, 1));
        Assert.That(judged.Outcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(judged.Verdict!.Passed, Is.False);
        Assert.That(judged.Message, Is.EqualTo(judged.Verdict.ToString()));
    }

    [Test]
    public void A_refusal_and_an_answer_are_not_confused()
    {
        var arrays = Arrays(Seed, Flip);
        Assert.That(
            () => FixtureCheck.FromRefusal("s", Flip, arrays["input"], arrays["filters"]),
            Throws.ArgumentException.With.Message.StartWith($"case {Flip.Id} records an answer, not a refusal")
        );
        Assert.That(
            () =>
                FixtureCheck.FromArrays(
                    "s",
                    Refused(Flip, "same"),
                    arrays["input"],
                    arrays["filters"],
                    arrays["expected"]
                ),
            Throws.ArgumentException.With.Message.StartWith(
                $"case {Flip.Id} records a refusal (ValueError: invalid border_mode), not an answer"
            )
        );
    }

    [Test]
    public void Null_arguments_are_programming_errors()
    {
        var arrays = Arrays(Seed, Flip);
        var (x, w, e) = (arrays["input"], arrays["filters"], arrays["expected"]);
        var refused = Refused(Flip, "same");
        var check = FixtureCheck.Prepare(Seed, Flip);
        var calls = new Action[]
        {
            () => FixtureCheck.Prepare(null!, Flip),
            () => FixtureCheck.Prepare(Seed, null!),
            () => FixtureCheck.FromRefusal(null!, refused, x, w),
            () => FixtureCheck.FromRefusal("s", null!, x, w),
            () => FixtureCheck.FromRefusal("s", refused, null!, w),
            () => FixtureCheck.FromRefusal("s", refused, x, null!),
            () => FixtureCheck.FromArrays(null!, Flip, x, w, e),
            () => FixtureCheck.FromArrays("s", null!, x, w, e),
            () => FixtureCheck.FromArrays("s", Flip, null!, w, e),
            () => FixtureCheck.FromArrays("s", Flip, x, null!, e),
            () => FixtureCheck.FromArrays("s", Flip, x, w, null!),
            () => FixtureCheck.Turn(null!, Flip),
            () => FixtureCheck.Turn(Seed, null!),
            () => check.RunKeepingAnswer(null!),
            () => check.Judge(null!, new Tensor(new float[1], 1, 1, 1, 1)),
            () => check.Judge("s", null!),
        };
        foreach (var call in calls)
            Assert.That(call, Throws.ArgumentNullException);
    }

    // The large-case turn: the flip case's arrays are 36 + 36 + 1 elements, an estimated 3504 bytes.

    [TestCase(3504L, true)]
    [TestCase(28031L, true)]
    [TestCase(28032L, false)]
    [TestCase(3503L, false)]
    public void A_case_above_an_eighth_of_its_suite_cap_waits_for_the_large_case_in_flight(long cap, bool waits)
    {
        var suite = FixtureSuite.Load(Seed.Directory, cap);
        var turn = Task.Run(() => { });
        using (CaseLimits.LargeCaseTurn(long.MaxValue, long.MaxValue))
        {
            turn = Task.Run(() => FixtureCheck.Turn(suite, Flip).Dispose());
            Assert.That(turn.Wait(TimeSpan.FromMilliseconds(300)), Is.Not.EqualTo(waits));
        }
        Assert.That(turn.Wait(TimeSpan.FromSeconds(10)), Is.True);
    }

    [Test]
    public void A_case_whose_file_cannot_be_estimated_goes_at_once_and_fails_when_prepared()
    {
        var suite = FixtureSuite.Load(Seed.Directory, 3504);
        using (CaseLimits.LargeCaseTurn(long.MaxValue, long.MaxValue))
        {
            foreach (string file in new[] { "none.npz", "." })
            {
                var c = Flip with { File = file };
                var turn = Task.Run(() => FixtureCheck.Turn(suite, c).Dispose());
                Assert.That(turn.Wait(TimeSpan.FromSeconds(10)), Is.True, file);
                Assert.That(FixtureCheck.Prepare(suite, c).PreparationOutcome, Is.EqualTo(CaseOutcome.Failed));
            }
        }
    }

    private sealed class ThrowingEngine : IConvEngine
    {
        public string Name => "throws";

        public Tensor Forward(ConvProblem problem, Tensor x, Tensor w) => throw new InvalidOperationException("boom");

        public Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w) => throw new InvalidOperationException();

        public Tensor GradWeights(ConvProblem problem, Tensor x, Tensor dy) => throw new InvalidOperationException();
    }
}
