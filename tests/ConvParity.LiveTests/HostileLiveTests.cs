using System.Text.Json.Nodes;
using ConvParity.Fixtures;
using ConvParity.Python.Generation;
using Python.Runtime;

namespace ConvParity.Tests.Live;

/// <summary>
/// A manifest's call never reaches Python unless a convention handles it with that many arrays (issue 10, class 1),
/// and a case the checker refuses (a bomb, a link outside the suite) is never handed to numpy's reader either.
/// </summary>
[Category("Live")]
public sealed class HostileLiveTests
{
    /// <summary>A file the hostile call would create; it must never appear.</summary>
    private static string Sentinel() => Path.Combine(Path.GetTempPath(), $"convparity-pwned-{Guid.NewGuid():N}");

    [Test]
    public void The_drift_check_never_runs_a_call_no_convention_handles()
    {
        var live = LivePython.Reference();
        string sentinel = Sentinel();
        using var suite = new TempSuite("seed");
        suite.EditCase(
            "/0003",
            c =>
            {
                c["call"] = "os.system";
                c["args"] = new JsonArray();
                c["kwargs"] = new JsonObject { ["command"] = $"touch {sentinel}" };
            }
        );
        suite.EditCase("/0004", c => c["args"] = new JsonArray()); // a real call, with no arrays

        var results = DriftCheck.Run(live, FixtureSuite.Load(suite.Folder)).ToDictionary(r => r.CaseId[^4..]);

        Assert.That(File.Exists(sentinel), Is.False, "the shell command ran");
        Assert.That(results["0003"].Outcome, Is.EqualTo(DriftOutcome.Unsupported));
        Assert.That(
            results["0003"].Message,
            Does.Contain("os.system: no convention handles this call, so it is never imported or run")
        );
        Assert.That(results["0004"].Outcome, Is.EqualTo(DriftOutcome.Unsupported));
        Assert.That(results["0004"].Message, Does.Contain("scipy.signal.convolve: 0 array arguments; it takes 2"));
    }

    [Test]
    public void The_live_reference_refuses_unknown_calls_before_importing_them()
    {
        var live = LivePython.Reference();
        string sentinel = Sentinel();
        string npz = Path.Combine(Repository.Fixtures, "seed", "0003.npz");
        var kwargs = new JsonObject { ["command"] = $"touch {sentinel}" };

        Assert.That(
            () => live.AnswerFromFile("os.system", npz, [], kwargs),
            Throws.ArgumentException.With.Message.Contain("never imported or run")
        );
        Assert.That(
            () => live.AnswerFromFile("scipy.signal.correlate", npz, ["in1"], new JsonObject()),
            Throws.ArgumentException.With.Message.Contain("1 array arguments; it takes 2")
        );
        Assert.That(live.Unavailable("subprocess.run"), Does.Contain("never imported or run"));
        Assert.That(live.UnavailableLibrary("subprocess"), Does.Contain("never imported"));
        Assert.That(File.Exists(sentinel), Is.False);
    }

    [Test]
    public void The_python_side_refuses_calls_outside_the_allow_list_too()
    {
        var live = LivePython.Reference();
        string sentinel = Sentinel();
        // Behind the C# check: ConvParity's own Python module, asked directly, imports and runs nothing else either.
        var (availability, answer) = live.Runtime.Run(
            "the allow-list",
            () =>
            {
                using var module = Py.Import("convparity_live");
                using var reason = module.InvokeMethod("availability", new PyString("os.system"));
                try
                {
                    module.InvokeMethod(
                        "answer",
                        new PyString("os.system"),
                        new PyTuple(),
                        new PyString($"{{\"command\": \"touch {sentinel}\"}}")
                    );
                    return (reason.ToString(), "answered");
                }
                catch (PythonException e)
                {
                    return (reason.ToString(), e.Message);
                }
            }
        );
        Assert.That(availability, Does.Contain("os.system is not a call any ConvParity convention handles"));
        Assert.That(answer, Does.Contain("never imported or run"));
        Assert.That(File.Exists(sentinel), Is.False);
    }

    [Test]
    public void The_drift_check_reports_a_case_over_the_cap_without_handing_it_to_numpy()
    {
        var live = LivePython.Reference();
        using var suite = new TempSuite("seed");
        suite.WriteMember("0003.npz", "in1", TempSuite.NpyHeader("<f4", false, "(1, 1, 16384, 16384)"));

        var result = DriftCheck
            .Run(live, FixtureSuite.Load(suite.Folder))
            .Single(r => r.CaseId.EndsWith("0003", StringComparison.Ordinal));

        Assert.That(result.Outcome, Is.EqualTo(DriftOutcome.Failed));
        Assert.That(result.Message, Does.Contain("above the per-case cap"));
    }

    [Test]
    public void The_drift_check_reports_unreadable_cases_as_failed_never_as_drift()
    {
        var live = LivePython.Reference();
        using var suite = new TempSuite("seed");
        // 0001 is a Theano case: its file is read, and found missing, before Theano is asked for (so on any machine).
        File.Delete(Path.Combine(suite.Folder, "0001.npz"));
        suite.EditCase("/0004", c => c["kwargs"]!["mode"] = "sideways"); // scipy refuses it, and so does the convention

        var results = DriftCheck.Run(live, FixtureSuite.Load(suite.Folder)).ToDictionary(r => r.CaseId[^4..]);

        Assert.That(results["0001"].Outcome, Is.EqualTo(DriftOutcome.Failed), results["0001"].Message);
        Assert.That(results["0001"].Message, Does.Contain("0001.npz"));
        Assert.That(
            results["0004"].Outcome,
            Is.Not.EqualTo(DriftOutcome.Drifted).And.Not.EqualTo(DriftOutcome.Unchanged),
            results["0004"].Message
        );
        // The others go on: the scipy case answers unchanged; the other Theano case too where Theano imports.
        Assert.That(results["0003"].Outcome, Is.EqualTo(DriftOutcome.Unchanged), results["0003"].Message);
        var theano = live.Unavailable(results["0002"].Call) is null
            ? DriftOutcome.Unchanged
            : DriftOutcome.NotAvailable;
        Assert.That(results["0002"].Outcome, Is.EqualTo(theano), results["0002"].Message);
    }
}
