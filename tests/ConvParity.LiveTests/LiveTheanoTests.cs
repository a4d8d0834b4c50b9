using System.Text.Json.Nodes;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Python.Generation;

namespace ConvParity.Tests.Live;

/// <summary>
/// The real Theano 1.0.5 (../shared/theano, put on PYTHONPATH by scripts/test): its environment record,
/// signal.conv.conv2d on 2-D arrays, and a generator run where the library refuses some calls.
/// Skipped without Theano; failed instead when CONVPARITY_REQUIRE_PYTHON=1 and ../shared/theano is present.
/// </summary>
[Category("Live")]
[NonParallelizable]
public sealed class LiveTheanoTests
{
    private const string Conv2d = "theano.tensor.nnet.conv2d",
        Conv3d = "theano.tensor.nnet.conv3d";
    private const string Signal = "theano.tensor.signal.conv.conv2d",
        Legacy = "theano.tensor.nnet.conv.conv2d";

    [Test]
    public void The_environment_names_Theano_and_its_blas_flags()
    {
        var live = LivePython.TheanoFor(Conv2d);
        var environment = live.Environment(["numpy", "theano"]);
        Assert.That(environment["theano"]!.GetValue<string>(), Is.EqualTo("1.0.5"));
        Assert.That(environment["blas"]!.GetValue<string>(), Does.Contain("-l"), "theano.config.blas.ldflags");
        Assert.That(environment["device"]!.GetValue<string>(), Is.EqualTo("cpu"));
    }

    [TestCase(new[] { 7, 6 }, new[] { 3, 2 }, "valid")]
    [TestCase(new[] { 7, 6 }, new[] { 3, 2 }, "full")]
    [TestCase(new[] { 7, 6 }, new[] { 3, 3, 2 }, "valid")]
    [TestCase(new[] { 2, 7, 6 }, new[] { 3, 2 }, "full")]
    [TestCase(new[] { 2, 7, 6 }, new[] { 3, 3, 2 }, "valid")]
    public void Signal_conv2d_answers_2d_and_3d_arrays_and_every_engine_agrees(
        int[] input,
        int[] filters,
        string border
    )
    {
        var live = LivePython.TheanoFor(Signal);
        var random = new Random(input.Length * 10 + filters.Length);
        var sketch = new CaseSketch(
            Signal,
            [("input", input), ("filters", filters)],
            new JsonObject { ["border_mode"] = border, ["subsample"] = new JsonArray(1, 1) },
            "live"
        );
        var call = sketch.Draw(random);
        var answer = live.Answer(call);
        var description = new FixtureCase(
            $"{Signal} {string.Join("x", input)} {string.Join("x", filters)}",
            "",
            Signal,
            call.ArgNames,
            call.Kwargs,
            "expected",
            null
        );
        var check = FixtureCheck.FromArrays(
            "live",
            description,
            new FixtureArray(call.Args[0], "float32", false),
            new FixtureArray(call.Args[1], "float32", false),
            new FixtureArray(answer.Value, answer.DType, answer.DType != "float32")
        );
        foreach (string engine in Repository.Engines.Names)
        {
            var result = check.Run(Repository.Engines.Create(engine));
            Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Passed), $"{engine}: {result.Message}");
        }
    }

    [Test]
    public void A_generated_suite_records_refused_calls_and_checks_whole()
    {
        var live = LivePython.TheanoFor(Conv3d);
        LivePython.TheanoFor(Signal);
        var catalogue = Catalogue.For("theano", Catalogue.DefaultSeed);
        // An answered conv2d, the grid's 3-D (before, after) pairs, a 2-D signal.conv.conv2d, the legacy 'half'.
        var cases = new[]
        {
            catalogue.First(c => c.Call.Call == Conv2d && c.Call.Kwargs["border_mode"]!.ToJsonString() == "\"valid\""),
            catalogue.First(c =>
                c.Call.Call == Conv3d
                && c.Call.Kwargs["border_mode"] is JsonArray { Count: 3 } axes
                && axes[0] is JsonArray
            ),
            catalogue.First(c => c.Call.Call == Signal && c.Call.Args[0].Rank == 2 && c.Call.Args[1].Rank == 2),
            catalogue.First(c => c.Call.Call == Legacy && c.Call.Kwargs["border_mode"]!.ToJsonString() == "\"half\""),
        };
        string scratch = Directory.CreateTempSubdirectory("convparity-theano-").FullName;
        try
        {
            string folder = Path.Combine(scratch, "theano");
            var report = SuiteWriter.Generate(
                live,
                "theano",
                Catalogue.DefaultSeed,
                cases,
                folder,
                force: false,
                TextWriter.Null
            );
            Assert.That(
                report.Refused.Select(r => (r.Id, r.Raises.Type)),
                Is.EqualTo(new[] { (cases[1].Id, "NotImplementedError"), (cases[3].Id, "Exception") })
            );
            Assert.That(report.Refused[0].Raises.Message, Is.EqualTo("Asymmetric padding not implemented for 3D"));
            var suite = FixtureSuite.Load(folder);
            Assert.That(suite.Cases.Select(c => c.Raises is null), Is.EqualTo(new[] { true, false, true, false }));

            var results = Cli.CheckCommand.Check(suite, [new ReferenceEngine()]);
            Assert.That(
                results.Where(r => r.Outcome != CaseOutcome.Passed).Select(r => $"{r.CaseId}: {r.Message}"),
                Is.Empty
            );
            var drift = DriftCheck.Run(live, suite);
            Assert.That(
                drift.Where(r => r.Outcome != DriftOutcome.Unchanged).Select(r => $"{r.CaseId}: {r.Message}"),
                Is.Empty
            );

            // A stored refusal of a call the library answers is drift, named as such.
            var root = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsObject();
            var first = root["cases"]![0]!.AsObject();
            first.Remove("expected");
            first["raises"] = new JsonObject { ["type"] = "ValueError", ["message"] = "made up" };
            File.WriteAllText(Path.Combine(folder, "manifest.json"), root.ToJsonString());
            var changed = DriftCheck.Run(live, FixtureSuite.Load(folder));
            Assert.That(
                changed.Select(r => r.Outcome),
                Is.EqualTo(
                    new[]
                    {
                        DriftOutcome.Drifted,
                        DriftOutcome.Unchanged,
                        DriftOutcome.Unchanged,
                        DriftOutcome.Unchanged,
                    }
                )
            );
            Assert.That(changed[0].Message, Does.Contain("now answers"));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [TestCase("theano.gpuarray.dnn.dnn_conv", true, true, true)]
    [TestCase("theano.sandbox.cuda.dnn.dnn_conv", true, true, true)]
    [TestCase(Conv2d, true, true, false)]
    [TestCase(Conv2d, true, false, true)]
    [TestCase(Conv2d, false, true, true)]
    public void An_unavailable_Theano_call_is_skipped_unless_Theano_is_required(
        string call,
        bool required,
        bool bundled,
        bool skipped
    ) => Assert.That(LivePython.Skips(call, required, bundled), Is.EqualTo(skipped));
}
