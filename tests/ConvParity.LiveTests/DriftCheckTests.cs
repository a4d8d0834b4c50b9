using System.Text.Json.Nodes;
using ConvParity.Fixtures;
using ConvParity.Python.Generation;

namespace ConvParity.Tests.Live;

/// <summary>
/// The drift check on stored refusals: a library that still refuses with the same exception is unchanged, one that
/// refuses with another or now answers has drifted; and it reports its progress once the suite is done.
/// </summary>
[Category("Live")]
public sealed class DriftCheckTests
{
    /// <summary>Case 0003 of the seed suite turned into a stored refusal of <c>fftconvolve(in1, in2, axes=[])</c>,
    /// which scipy refuses with ValueError and the convention refuses too.</summary>
    private static TempSuite EmptyAxesRefusal(string storedType)
    {
        var suite = new TempSuite("seed");
        suite.EditCase(
            "/0003",
            c =>
            {
                c["call"] = "scipy.signal.fftconvolve";
                c["kwargs"] = new JsonObject { ["mode"] = "valid", ["axes"] = new JsonArray() };
                c.Remove("expected");
                c["raises"] = new JsonObject { ["type"] = storedType, ["message"] = "as stored" };
            }
        );
        return suite;
    }

    private static DriftResult Check(TempSuite suite, string idSuffix) =>
        DriftCheck
            .Run(LivePython.Reference(), FixtureSuite.Load(suite.Folder))
            .Single(r => r.CaseId.EndsWith(idSuffix, StringComparison.Ordinal));

    [Test]
    public void A_library_that_still_refuses_with_the_same_exception_is_unchanged()
    {
        using var suite = EmptyAxesRefusal("ValueError");

        var result = Check(suite, "0003");

        Assert.That(result.Outcome, Is.EqualTo(DriftOutcome.Unchanged), result.Message);
        Assert.That(
            result.Message,
            Does.StartWith("the library still refuses the call: ValueError: ").And.Contain("axes cannot be empty")
        );
    }

    [Test]
    public void A_library_that_refuses_with_another_exception_has_drifted()
    {
        using var suite = EmptyAxesRefusal("TypeError");

        var result = Check(suite, "0003");

        Assert.That(result.Outcome, Is.EqualTo(DriftOutcome.Drifted), result.Message);
        Assert.That(
            result.Message,
            Does.StartWith("the library refused with TypeError: as stored and now with ValueError: ")
                .And.Contain("axes cannot be empty")
        );
    }

    [Test]
    public void A_library_that_now_answers_a_stored_refusal_has_drifted()
    {
        using var suite = new TempSuite("seed");
        suite.EditCase(
            "/0003",
            c =>
            {
                c.Remove("expected");
                c["raises"] = new JsonObject { ["type"] = "ValueError", ["message"] = "as stored" };
            }
        );

        var result = Check(suite, "0003");

        Assert.That(result.Outcome, Is.EqualTo(DriftOutcome.Drifted), result.Message);
        Assert.That(
            result.Message,
            Does.StartWith(
                "the library refused the call (ValueError: as stored) and now answers it with an array of shape ["
            )
        );
    }

    [Test]
    public void Progress_is_reported_once_when_a_suite_of_fewer_than_50_cases_is_done()
    {
        var suite = FixtureSuite.Load(Path.Combine(Repository.Fixtures, "seed"));
        var reports = new List<(int Done, int Total)>();

        DriftCheck.Run(LivePython.Reference(), suite, (done, total) => reports.Add((done, total)));

        Assert.That(reports, Is.EqualTo(new[] { (suite.Cases.Count, suite.Cases.Count) }));
    }

    [Test]
    public void A_library_that_raises_on_a_stored_answers_arrays_has_failed_not_drifted()
    {
        // scipy.signal.correlate of two int32 arrays answers int32, which no float32 answer is judged against: the
        // live reference raises TypeError, and the check says the library raised.
        using var suite = new TempSuite("seed");
        suite.EditArray("0003.npz", "in1", a => a.astype(NumSharp.NPTypeCode.Int32));
        suite.EditArray("0003.npz", "in2", a => a.astype(NumSharp.NPTypeCode.Int32));

        var result = Check(suite, "0003");

        Assert.That(result.Outcome, Is.EqualTo(DriftOutcome.Failed), result.Message);
        Assert.That(result.Message, Does.StartWith("the library raised TypeError: ").And.Contain("dtype int32"));
    }

    /// <summary>The committed ONNX suite with its first case repeated <paramref name="count"/> times under new ids:
    /// cases that never reach Python (ONNX operators are not Python functions).</summary>
    private static TempSuite RepeatedOnnxCase(int count)
    {
        var suite = new TempSuite("onnx");
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(suite.Folder, "manifest.json")))!.AsObject();
        var first = root["cases"]![0]!.AsObject();
        var cases = new JsonArray();
        for (int i = 0; i < count; i++)
        {
            var copy = first.DeepClone().AsObject();
            copy["id"] = $"onnx.Conv/repeated/{i:D4}";
            cases.Add(copy);
        }
        root["cases"] = cases;
        suite.WriteManifest(root.ToJsonString());
        return suite;
    }

    [Test]
    public void Progress_is_reported_every_50_cases_and_when_the_suite_is_done()
    {
        using var suite = RepeatedOnnxCase(120);
        var reports = new List<(int Done, int Total)>();

        DriftCheck.Run(
            LivePython.Reference(),
            FixtureSuite.Load(suite.Folder),
            (done, total) =>
            {
                lock (reports)
                    reports.Add((done, total));
            }
        );

        // Cases run in parallel: the report at 100 may come before the one at 50.
        Assert.That(reports, Is.EquivalentTo(new[] { (50, 120), (100, 120), (120, 120) }));
    }

    [Test]
    public void A_call_whose_library_is_not_live_is_reported_as_not_available_by_its_reason()
    {
        // ONNX's reference is the authors' own outputs: no library answers its calls live, and nothing has drifted.
        var results = DriftCheck.Run(
            LivePython.Reference(),
            FixtureSuite.Load(Path.Combine(Repository.Fixtures, "onnx"))
        );

        Assert.That(results, Is.Not.Empty);
        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(DriftOutcome.NotAvailable));
        Assert.That(results[0].Message, Does.StartWith("onnx.Conv: ONNX operators are not Python functions"));
    }
}
