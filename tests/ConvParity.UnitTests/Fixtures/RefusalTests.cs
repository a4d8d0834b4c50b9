using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>
/// Calls a library refuses: "raises" cases in a manifest (docs/fixtures.md), the checker's verdict on them,
/// and the Theano convention refusing what Theano 1.0.5 refuses, in Theano's words (each message below
/// is the one the real Theano 1.0.5 raised; fixtures/theano holds them as generated).
/// </summary>
public sealed class RefusalTests
{
    private const string FlipCase = "seed/theano.conv2d/valid/flip/0001";

    private static readonly JsonObject Refusal = new()
    {
        ["type"] = "ValueError",
        ["message"] = "invalid border_mode same",
    };

    /// <summary>The seed suite's flip case turned into a raises case (with <paramref name="border"/>), checked by the
    /// reference engine.</summary>
    private static CaseResult CheckRefused(JsonNode border, Action<JsonObject>? more = null)
    {
        using var suite = new TempSuite("seed");
        suite.EditCase(
            "/0001",
            c =>
            {
                c.Remove("expected");
                c["raises"] = Refusal.DeepClone();
                c["kwargs"]!["border_mode"] = border;
                more?.Invoke(c);
            }
        );
        return Cli
            .CheckCommand.Check(FixtureSuite.Load(suite.Folder), [new ReferenceEngine()])
            .Single(r => r.CaseId == FlipCase);
    }

    [Test]
    public void A_raises_case_is_read_with_its_type_and_message()
    {
        using var suite = new TempSuite("seed");
        suite.EditCase(
            "/0001",
            c =>
            {
                c.Remove("expected");
                c["raises"] = Refusal.DeepClone();
            }
        );
        var read = FixtureSuite.Load(suite.Folder).Cases.Single(c => c.Id == FlipCase);
        Assert.That(read.Expected, Is.Null);
        Assert.That(read.Raises, Is.EqualTo(new FixtureRaises("ValueError", "invalid border_mode same")));
    }

    [TestCase("both", "both 'expected' and 'raises'")]
    [TestCase("neither", "neither 'expected' nor 'raises'")]
    [TestCase("list", "'raises' is not a JSON object")]
    [TestCase("no type", "'type' is missing")]
    [TestCase("numeric message", "'message' is missing or not a string")]
    public void A_malformed_raises_case_is_refused_with_the_reason(string damage, string reason)
    {
        using var suite = new TempSuite("seed");
        suite.EditCase(
            "/0001",
            c =>
            {
                switch (damage)
                {
                    case "both":
                        c["raises"] = Refusal.DeepClone();
                        break;
                    case "neither":
                        c.Remove("expected");
                        break;
                    case "list":
                        c.Remove("expected");
                        c["raises"] = new JsonArray("ValueError", "x");
                        break;
                    case "no type":
                        c.Remove("expected");
                        c["raises"] = new JsonObject { ["message"] = "x" };
                        break;
                    default:
                        c.Remove("expected");
                        c["raises"] = new JsonObject { ["type"] = "ValueError", ["message"] = 3 };
                        break;
                }
            }
        );
        var e = Assert.Throws<FixtureException>(() => FixtureSuite.Load(suite.Folder))!;
        Assert.That(e.Message, Does.Contain("manifest.json").And.Contain(FlipCase).And.Contain(reason));
    }

    [Test]
    public void A_raises_case_passes_when_the_convention_refuses_the_call_too()
    {
        var result = CheckRefused("same");
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Passed), result.Message);
        Assert.That(result.Message, Does.Contain("ValueError: invalid border_mode same").And.Contain("'border_mode'"));
    }

    [Test]
    public void A_raises_case_fails_when_the_convention_plans_the_call()
    {
        var result = CheckRefused("valid");
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(
            result.Message,
            Does.Contain("would return numbers").And.Contain("ValueError: invalid border_mode same")
        );
    }

    [Test]
    public void A_raises_case_is_unsupported_when_no_convention_handles_its_call()
    {
        var result = CheckRefused("same", c => c["call"] = "tensorflow.nn.conv2d");
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Unsupported));
        Assert.That(result.Message, Does.Contain("tensorflow.nn.conv2d"));
    }

    [Test]
    public void An_answer_to_a_refused_call_fails_the_judge()
    {
        using var suite = new TempSuite("seed");
        suite.EditCase(
            "/0001",
            c =>
            {
                c.Remove("expected");
                c["raises"] = Refusal.DeepClone();
                c["kwargs"]!["border_mode"] = "same";
            }
        );
        var loaded = FixtureSuite.Load(suite.Folder);
        var check = FixtureCheck.Prepare(loaded, loaded.Cases.Single(c => c.Id == FlipCase));
        var verdict = check.Judge("another run", new Tensor(new float[] { 1f }, 1, 1, 1, 1));
        Assert.That(verdict.Outcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(verdict.Message, Does.Contain("refused").And.Contain("another run answered it"));
    }

    [Test]
    public void The_legacy_ConvOp_reads_the_first_two_subsample_entries_as_Theano_does() =>
        Assert.That(
            ConventionRegistry
                .Plan(
                    "theano.tensor.nnet.conv.conv2d",
                    [
                        [2, 3, 7, 6],
                        [4, 3, 3, 2],
                    ],
                    JsonNode.Parse("""{"subsample": [2, 1, 5]}""")!.AsObject()
                )
                .Problem.Stride,
            Is.EqualTo(new[] { 2, 1 })
        );

    [Test]
    public void The_committed_theano_suite_holds_refusals_of_every_kind_and_each_passes()
    {
        var suite = FixtureSuite.Load(Path.Combine(Repository.Fixtures, "theano"));
        var refused = suite.Cases.Where(c => c.Raises is not null).ToList();
        string[] kinds =
        [
            "Asymmetric padding not implemented for 3D",
            "invalid border_mode same",
            "which must be a non-negative integer",
            "num_groups must have value greater than zero",
            "must be divisible by the number of groups",
            "Mode half not implemented",
        ];
        foreach (string kind in kinds)
            Assert.That(refused.Any(c => c.Raises!.Message.Contains(kind, StringComparison.Ordinal)), kind);
        var results = Cli.CheckCommand.Check(suite, [new ReferenceEngine()]);
        Assert.That(
            results
                .Where(r => refused.Any(c => c.Id == r.CaseId) && r.Outcome != CaseOutcome.Passed)
                .Select(r => $"{r.CaseId}: {r.Message}"),
            Is.Empty
        );
    }

    // Each message is what Theano 1.0.5 raised for the call (fixtures/theano, `convparity generate --suite theano`).
    [TestCase(
        "theano.tensor.nnet.conv3d",
        new[] { 1, 2, 5, 6, 4 },
        new[] { 3, 2, 3, 2, 3 },
        """{"border_mode": [[0, 1], [1, 0], [2, 1]]}""",
        "NotImplementedError: Asymmetric padding not implemented for 3D"
    )]
    [TestCase(
        "theano.tensor.nnet.conv3d",
        new[] { 1, 2, 5, 6, 4 },
        new[] { 3, 2, 3, 2, 3 },
        """{"border_mode": [[1, 1], [0, 0], [2, 2]]}""",
        "NotImplementedError: Asymmetric padding not implemented for 3D",
        Description = "even equal pairs"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 6, 7, 6 },
        new[] { 4, 6, 3, 2 },
        """{"border_mode": "same"}""",
        "ValueError: invalid border_mode same, which must be either \"valid\", \"full\", \"half\", "
            + "an integer or a tuple of length 2"
    )]
    [TestCase(
        "theano.tensor.nnet.conv3d",
        new[] { 1, 2, 5, 6, 4 },
        new[] { 3, 2, 3, 2, 3 },
        """{"border_mode": "same"}""",
        "ValueError: invalid border_mode same, which must be either \"valid\", \"full\", \"half\", "
            + "an integer or a tuple of length 3"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 6, 7, 6 },
        new[] { 4, 6, 3, 2 },
        """{"border_mode": -1}""",
        "ValueError: invalid border_mode -1, which must be a non-negative integer"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 6, 7, 6 },
        new[] { 4, 6, 3, 2 },
        """{"border_mode": [1, -1]}""",
        "ValueError: invalid border mode (1, -1). The tuple can only contain integers  or pairs of integers"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 6, 7, 6 },
        new[] { 4, 6, 3, 2 },
        """{"border_mode": [[0, -1], [1, 0]]}""",
        "ValueError: invalid border mode ((0, -1), (1, 0)). The tuple can only contain integers  or pairs of integers"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 6, 7, 6 },
        new[] { 4, 6, 3, 2 },
        """{"border_mode": [1, 2, 0]}""",
        "ValueError: invalid border_mode (1, 2, 0), which must be a tuple of length 2"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 6, 7, 6 },
        new[] { 4, 3, 3, 2 },
        """{"num_groups": 0}""",
        "ValueError: num_groups must have value greater than zero"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 6, 7, 6 },
        new[] { 4, 2, 3, 2 },
        """{"border_mode": "half", "num_groups": 3}""",
        "ValueError: CorrMM the number of filters must be divisible by the number of groups"
    )]
    [TestCase(
        "theano.tensor.nnet.conv3d",
        new[] { 1, 4, 4, 5, 3 },
        new[] { 3, 2, 2, 3, 2 },
        """{"num_groups": 2}""",
        "ValueError: CorrMM the number of filters must be divisible by the number of groups"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 6, 7, 6 },
        new[] { 4, 4, 3, 2 },
        "{}",
        "ValueError: CorrMM images and kernel must have the same stack size"
    )]
    [TestCase(
        "theano.tensor.nnet.conv.conv2d",
        new[] { 2, 3, 7, 6 },
        new[] { 4, 3, 3, 2 },
        """{"border_mode": "half"}""",
        "Exception: Mode half not implemented"
    )]
    [TestCase(
        "theano.tensor.signal.conv.conv2d",
        new[] { 2, 7, 6 },
        new[] { 3, 3, 2 },
        """{"border_mode": "same"}""",
        "Exception: Mode same not implemented"
    )]
    [TestCase(
        "theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_inputs",
        new[] { 2, 4, 5, 5 },
        new[] { 4, 2, 3, 2 },
        """{"input_shape": [2, 6, 7, 6], "num_groups": 3}""",
        "ValueError: CorrMM the number of filters must be divisible by the number of groups"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 3, 7, 6 },
        new[] { 4, 3, 3, 2 },
        """{"subsample": 2}""",
        "TypeError: object of type 'int' has no len()"
    )]
    [TestCase(
        "theano.tensor.nnet.conv3d",
        new[] { 1, 2, 5, 6, 4 },
        new[] { 3, 2, 3, 2, 3 },
        """{"filter_dilation": 2}""",
        "TypeError: object of type 'int' has no len()"
    )]
    [TestCase(
        "theano.tensor.nnet.conv2d",
        new[] { 2, 3, 7, 6 },
        new[] { 4, 3, 3, 2 },
        """{"subsample": [1, 1, 1]}""",
        "ValueError: subsample must have 2 elements"
    )]
    [TestCase(
        "theano.tensor.nnet.conv.conv2d",
        new[] { 2, 3, 7, 6 },
        new[] { 4, 3, 3, 2 },
        """{"subsample": 2}""",
        "TypeError: 'int' object is not subscriptable"
    )]
    public void Theano_refuses_what_Theano_refuses_in_its_words(
        string call,
        int[] first,
        int[] second,
        string kwargs,
        string words
    )
    {
        var e = Assert.Throws<InvalidCallException>(() =>
            ConventionRegistry.Plan(call, [first, second], JsonNode.Parse(kwargs)!.AsObject())
        )!;
        Assert.That(e.Message, Does.StartWith(call + ":").And.Contain(words));
    }
}

/// <summary>
/// scipy's fftconvolve/oaconvolve with 'axes': an axis left out where both arrays have the same extent is one
/// convolution per index (groups), one where only in2 has it one output per kernel; fixtures/scipy holds the real
/// answers.
/// </summary>
public sealed class BatchedFftTests
{
    private static ConvPlan Plan(int[] in1, int[] in2, string kwargs) =>
        ConventionRegistry.Plan("scipy.signal.fftconvolve", [in1, in2], JsonNode.Parse(kwargs)!.AsObject());

    [Test]
    public void An_axis_of_the_same_extent_in_both_arrays_is_a_grouped_convolution()
    {
        var plan = Plan([2, 3, 7], [1, 3, 4], """{"mode": "valid", "axes": [-1]}""");
        Assert.That(
            (plan.Problem.Batch, plan.Problem.InChannels, plan.Problem.OutChannels, plan.Problem.Groups),
            Is.EqualTo((2, 3, 3, 3))
        );
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 2, 3, 4 }));
    }

    [Test]
    public void An_axis_only_in2_has_gives_one_output_per_kernel()
    {
        var plan = Plan([2, 1, 6, 5], [1, 3, 2, 2], """{"mode": "full", "axes": [2, 3]}""");
        Assert.That(
            (plan.Problem.Batch, plan.Problem.InChannels, plan.Problem.OutChannels, plan.Problem.Groups),
            Is.EqualTo((2, 1, 3, 1))
        );
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 2, 3, 7, 6 }));
    }

    [Test]
    public void Extents_that_neither_match_nor_are_one_are_refused_as_scipy_refuses_them() =>
        Assert.That(
            () => Plan([3, 6], [2, 3], """{"mode": "full", "axes": [1]}"""),
            Throws
                .InstanceOf<InvalidCallException>()
                .With.Message.Contain("ValueError: incompatible shapes for in1 and in2: (3, 6) and (2, 3)")
        );

    [Test]
    public void A_broadcast_axis_after_the_convolved_ones_is_unsupported_by_name() =>
        Assert.That(
            () => Plan([6, 3], [2, 3], """{"mode": "full", "axes": [0]}"""),
            Throws.TypeOf<UnsupportedCallException>().With.Message.Contain("without moving axes")
        );

    [Test]
    public void Every_engine_matches_real_scipy_on_the_batched_cases_of_fixtures_scipy()
    {
        var suite = FixtureSuite.Load(Path.Combine(Repository.Fixtures, "scipy"));
        var batched = suite.Cases.Where(c => c.Id.Contains("/batched/", StringComparison.Ordinal)).ToList();
        Assert.That(batched, Has.Count.EqualTo(11));
        var engines = Repository.Engines.Names.Select(Repository.Engines.Create).ToList();
        var results = batched.SelectMany(c => engines.Select(FixtureCheck.Prepare(suite, c).Run)).ToList();
        Assert.That(
            results.Where(r => r.Outcome != CaseOutcome.Passed).Select(r => $"{r.CaseId} [{r.Engine}]: {r.Message}"),
            Is.Empty
        );
    }
}

/// <summary>A refusal is recorded in the library's words, without Theano's run-time addendum.</summary>
public sealed class RefusalMessageTests
{
    // Both messages as the real Theano 1.0.5 raised them (the CorrMM one with a blank line, the ConvOp one without).
    [TestCase(
        "CorrMM the number of filters must be divisible by the number of groups\n\nApply node that caused the error: "
            + "CorrMM{valid}(x, w)\nToposort index: 1",
        "CorrMM the number of filters must be divisible by the number of groups"
    )]
    [TestCase(
        "the filter stack size (2) and image stack size (3) differ\nApply node that caused the error: "
            + "ConvOp{('imshp', (None, None, None))}(x, w)",
        "the filter stack size (2) and image stack size (3) differ"
    )]
    [TestCase(
        "CorrMM: impossible output shape\n  bottom shape: 2 x 3 x 3 x 3\n\nApply node that caused the error: CorrMM",
        "CorrMM: impossible output shape\n  bottom shape: 2 x 3 x 3 x 3"
    )]
    [TestCase("Asymmetric padding not implemented for 3D", "Asymmetric padding not implemented for 3D")]
    public void The_first_paragraph_is_the_library_s_own_words(string message, string words) =>
        Assert.That(ConvParity.Python.Generation.Refusal.FirstParagraph(message), Is.EqualTo(words));
}
