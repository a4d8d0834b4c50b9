using ConvParity.Engines;
using ConvParity.Fixtures;
using NumSharp;

namespace ConvParity.Tests;

/// <summary>A broken suite never counts as passed: every kind of damage is named.</summary>
public sealed class FixtureCheckTests
{
    internal const string FlipCase = "seed/theano.conv2d/valid/flip/0001";

    internal static IReadOnlyList<CaseResult> CheckAll(string folder) =>
        Cli.CheckCommand.Check(FixtureSuite.Load(folder), [new ReferenceEngine()]);

    /// <summary>Damages a copy of the seed suite and returns the result of the case the damage touched.</summary>
    private static CaseResult CheckDamaged(Action<TempSuite> damage)
    {
        using var suite = new TempSuite("seed");
        damage(suite);
        return CheckAll(suite.Folder).Single(r => r.CaseId == FlipCase);
    }

    [Test]
    public void The_committed_seed_suite_passes() =>
        Assert.That(
            CheckAll(Path.Combine(Repository.Fixtures, "seed")).Select(r => r.Outcome),
            Is.All.EqualTo(CaseOutcome.Passed)
        );

    [Test]
    public void A_planted_wrong_expected_value_fails_by_name()
    {
        using var suite = new TempSuite("seed");
        // The correlation's value planted where Theano's true convolution answer belongs.
        var correlation = np.load_npz(Path.Combine(suite.Folder, "0002.npz"))["expected"].copy();
        suite.EditArray("0001.npz", "expected", _ => correlation);

        var results = CheckAll(suite.Folder);
        var planted = results.Single(r => r.CaseId == FlipCase);
        Assert.Multiple(() =>
        {
            Assert.That(planted.Outcome, Is.EqualTo(CaseOutcome.Failed));
            Assert.That(planted.Message, Does.Contain("[0, 0, 0, 0]").And.Contain("x bound"));
            Assert.That(
                planted.Verdict!.WorstRatio,
                Is.GreaterThan(1000),
                "a convention-sized error is far beyond the bound"
            );
            Assert.That(
                results.Where(r => r.CaseId != FlipCase).Select(r => r.Outcome),
                Is.All.EqualTo(CaseOutcome.Passed)
            );
        });
    }

    [Test]
    public void A_missing_npz_fails()
    {
        var result = CheckDamaged(suite => File.Delete(Path.Combine(suite.Folder, "0001.npz")));
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(result.Message, Does.Contain("0001.npz").And.Contain("missing .npz"));
    }

    [Test]
    public void A_missing_array_fails()
    {
        var result = CheckDamaged(suite => suite.EditCase("/0001", c => c["expected"] = "answer"));
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(result.Message, Does.Contain("missing array 'answer'"));
    }

    [Test]
    public void A_corrupt_npz_fails()
    {
        var result = CheckDamaged(suite => File.WriteAllText(Path.Combine(suite.Folder, "0001.npz"), "not a zip"));
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(result.Message, Does.Contain("0001.npz"));
    }

    [Test]
    public void An_unknown_call_is_unsupported_by_name()
    {
        var result = CheckDamaged(suite => suite.EditCase("/0001", c => c["call"] = "torch.nn.functional.conv2d"));
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Unsupported));
        Assert.That(result.Message, Does.Contain("torch.nn.functional.conv2d"));
    }

    [Test]
    public void An_unknown_keyword_argument_is_unsupported_by_name()
    {
        var result = CheckDamaged(suite => suite.EditCase("/0001", c => c["kwargs"]!["padding_mode"] = "circular"));
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Unsupported));
        Assert.That(result.Message, Does.Contain("'padding_mode'"));
    }

    [Test]
    public void A_result_shape_the_plan_does_not_give_fails()
    {
        var result = CheckDamaged(suite => suite.EditCase("/0001", c => c["kwargs"]!["border_mode"] = "full"));
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Failed));
        Assert.That(result.Message, Does.Contain("1, 1, 11, 11").And.Contain("1, 1, 1, 1"));
    }

    [TestCase("{ not json", "not valid JSON")]
    [TestCase("""{"format": "convparity.fixtures/2", "suite": "s", "cases": []}""", "convparity.fixtures/2")]
    [TestCase("""{"format": "convparity.fixtures/1", "suite": "s"}""", "'cases'")]
    [TestCase(
        """{"format": "convparity.fixtures/1", "suite": "s", "cases": ["""
            + """{"id": "a", "file": "x.npz", "call": "numpy.convolve", "args": ["a", "v"], "expected": "e"}, """
            + """{"id": "a", "file": "y.npz", "call": "numpy.convolve", "args": ["a", "v"], "expected": "e"}]}""",
        "used twice"
    )]
    [TestCase(
        """{"format": "convparity.fixtures/1", "suite": "s", "cases": ["""
            + """{"id": "a", "file": "../x.npz", "call": "numpy.convolve", "args": ["a", "v"], "expected": "e"}]}""",
        "inside the suite folder"
    )]
    [TestCase(
        """{"format": "convparity.fixtures/1", "suite": "s", "cases": ["""
            + """{"id": "a", "file": "x.npz", "args": ["a", "v"], "expected": "e"}]}""",
        "'call'"
    )]
    public void A_malformed_manifest_is_refused_with_the_reason(string manifest, string reason)
    {
        using var suite = new TempSuite("seed");
        suite.WriteManifest(manifest);
        var e = Assert.Throws<FixtureException>(() => FixtureSuite.Load(suite.Folder))!;
        Assert.That(e.Message, Does.Contain("manifest.json").And.Contain(reason));
    }

    [Test]
    public void A_missing_folder_is_refused() =>
        Assert.That(
            () => FixtureSuite.Load("/nonexistent/suite"),
            Throws.TypeOf<FixtureException>().With.Message.Contain("/nonexistent/suite")
        );

    [TestCase(1.0, false)]
    [TestCase(1.1, true)]
    public void Float64_inputs_widen_the_bound_only_when_float32_cannot_hold_them(double scale, bool rounded)
    {
        using var suite = new TempSuite("seed");
        // x * 1.1 in float64 is no float32 value: the library computed with inputs this checker cannot hold.
        suite.EditArray(
            "0001.npz",
            "input",
            a =>
            {
                using var wide = a.astype(NPTypeCode.Double);
                return wide * scale;
            }
        );
        var loaded = FixtureSuite.Load(suite.Folder);
        var check = FixtureCheck.Prepare(loaded, loaded.Cases.Single(c => c.Id == FlipCase));

        Assert.That(check.PreparationProblem, Is.Null);
        Assert.That(check.Bound!.InputsRounded, Is.EqualTo(rounded));
    }
}
