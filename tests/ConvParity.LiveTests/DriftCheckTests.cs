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
}
