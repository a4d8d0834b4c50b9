using ConvParity.Cli;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Python.Generation;
using ConvParity.Testing;

namespace ConvParity.Tests.Live;

/// <summary>A spec written with the live libraries: read by the checker, updated case by case, recorded and replayed
/// from NUnit.</summary>
[Category("Live")]
[NonParallelizable]
public sealed class SpecSuiteTests
{
    private const string Layers = """
        {"name": "conv", "call": "scipy.signal.correlate2d",
         "args": [{"name": "in1", "shape": [6, 5]}, {"name": "in2", "shape": [3, 3]}],
         "kwargs": {"boundary": "fill"}, "grid": {"mode": ["full", "same", "valid"]}, "count": 2},
        {"name": "wide64", "call": "numpy.convolve", "dtype": "float64", "values": "wide",
         "args": [{"name": "a", "shape": [9]}, {"name": "v", "shape": [4]}]},
        {"name": "refused", "call": "numpy.convolve", "kwargs": {"mode": "nonsense"},
         "values": {"kind": "nonfinite", "fraction": 0.2},
         "args": [{"name": "a", "shape": [9]}, {"name": "v", "shape": [4]}]}
        """;

    private string _scratch = "";

    private string SpecPath => Path.Combine(_scratch, "cases.json");

    private string SuiteFolder => Path.Combine(_scratch, "suite");

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("convparity-spec-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private (int Code, string Output, string Errors) Generate(string entries, params string[] target)
    {
        File.WriteAllText(SpecPath, CaseSpecs.Spec(entries));
        return CommandRunner.Run(["generate", "--spec", SpecPath, .. target]);
    }

    [Test]
    public void A_spec_is_written_as_a_suite_the_checker_passes_with_the_refusal_as_a_raises_case()
    {
        LivePython.ReferenceFor("scipy.signal.correlate2d");
        var (code, output, errors) = Generate(Layers, "--out", SuiteFolder);
        Assert.That(code, Is.EqualTo(ExitCodes.Passed), errors);
        Assert.That(output, Does.Contain("REFUSED refused/0: ValueError").And.Contain("wrote 8 cases"));
        var suite = FixtureSuite.Load(SuiteFolder);
        Assert.That(suite.Name, Is.EqualTo("mine"));
        Assert.That(suite.Cases.Select(c => c.Id), Is.EqualTo(CaseSpec.Load(SpecPath).Cases.Select(c => c.Id)));
        Assert.That(suite.Cases.Single(c => c.Id == "refused/0").Raises!.Type, Is.EqualTo("ValueError"));
        Assert.That(
            Directory.GetFileSystemEntries(_scratch).Order(),
            Is.EqualTo(new[] { SpecPath, SuiteFolder }),
            "nothing else left behind"
        );
        var engine = new ReferenceEngine();
        var results = suite
            .Cases.Where(c => c.Raises is null)
            .Select(c => FixtureCheck.Prepare(suite, c).Run(engine))
            .ToList();
        Assert.That(
            results.Where(r => r.Outcome != CaseOutcome.Passed).Select(r => $"{r.CaseId}: {r.Message}"),
            Is.Empty
        );
        Assert.That(results, Has.Count.EqualTo(7));

        // The float64 arrays reach the library and the file as float64.
        var wide = FixtureCheck.Prepare(suite, suite.Cases.Single(c => c.Id == "wide64/0"));
        Assert.That(wide.Bound!.InputsRounded, Is.True, "float64 inputs are rounded for the float32 engines");

        var (again, _, refusal) = Generate(Layers, "--out", SuiteFolder);
        Assert.That(again, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(refusal, Does.Contain(SuiteWriter.ForceHint));
    }

    [Test]
    public void Update_keeps_unchanged_cases_byte_for_byte_adds_new_ones_and_removes_lost_ones()
    {
        LivePython.ReferenceFor("scipy.signal.correlate2d");
        Assert.That(Generate(Layers, "--out", SuiteFolder).Code, Is.EqualTo(ExitCodes.Passed));
        var before = FixtureSuite.Load(SuiteFolder);
        var files = before.Cases.ToDictionary(c => c.Id, c => File.ReadAllBytes(Path.Combine(SuiteFolder, c.File)));
        var blocks = ManifestBlocks(SuiteFolder);

        // 'refused' is gone, 'conv' loses mode=full, 'wide64' gets another seed, 'added' is new and comes first.
        string changed = """
            {"name": "added", "call": "numpy.correlate",
             "args": [{"name": "a", "shape": [5]}, {"name": "v", "shape": [2]}],
             "grid": {"mode": ["full", "valid"]}},
            {"name": "conv", "call": "scipy.signal.correlate2d",
             "args": [{"name": "in1", "shape": [6, 5]}, {"name": "in2", "shape": [3, 3]}],
             "kwargs": {"boundary": "fill"}, "grid": {"mode": ["same", "valid"]}, "count": 2},
            {"name": "wide64", "call": "numpy.convolve", "dtype": "float64", "values": "wide", "seed": 9,
             "args": [{"name": "a", "shape": [9]}, {"name": "v", "shape": [4]}]}
            """;
        var (code, output, errors) = Generate(changed, "--update", SuiteFolder);
        Assert.That(code, Is.EqualTo(ExitCodes.Passed), errors);
        Assert.That(
            output,
            Does.Contain("4 cases kept as they were, 3 added (0 of them refused by the library), 3 removed")
        );
        var after = FixtureSuite.Load(SuiteFolder);
        string[] kept = ["conv/mode=same/0", "conv/mode=same/1", "conv/mode=valid/0", "conv/mode=valid/1"];
        Assert.That(
            after.Cases.Select(c => c.Id),
            Is.EqualTo((string[])["added/mode=full/0", "added/mode=valid/0", .. kept, "wide64/0"])
        );
        var afterBlocks = ManifestBlocks(SuiteFolder);
        foreach (string id in kept)
        {
            var c = after.Cases.Single(x => x.Id == id);
            Assert.That(
                File.ReadAllBytes(Path.Combine(SuiteFolder, c.File)),
                Is.EqualTo(files[id]),
                $"{id}: the .npz is kept byte for byte"
            );
            Assert.That(afterBlocks[id], Is.EqualTo(blocks[id]), $"{id}: the manifest entry is kept byte for byte");
        }
        Assert.That(
            after.Cases.Single(c => c.Id == "wide64/0").File,
            Is.Not.EqualTo(before.Cases.Single(c => c.Id == "wide64/0").File),
            "a changed entry is answered again"
        );
        Assert.That(
            Directory.GetFiles(SuiteFolder),
            Has.Length.EqualTo(after.Cases.Count + 1),
            "the files of removed cases are gone"
        );

        // Unchanged spec: nothing is written at all.
        var stamp = Directory.GetFiles(SuiteFolder).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var (same, sameOutput, _) = Generate(changed, "--update", SuiteFolder);
        Assert.That(same, Is.EqualTo(ExitCodes.Passed));
        Assert.That(sameOutput, Does.Contain("7 cases kept as they were, 0 added"));
        Assert.That(Directory.GetFiles(SuiteFolder).ToDictionary(f => f, File.GetLastWriteTimeUtc), Is.EqualTo(stamp));
    }

    [Test]
    public void Recorded_records_what_is_missing_once_then_replays_and_an_engine_is_judged_against_it()
    {
        LivePython.ReferenceFor("scipy.signal.correlate2d");
        File.WriteAllText(SpecPath, CaseSpecs.Spec(Layers));
        var progress = new StringWriter();
        var first = ParityCases.RecordedWith("suite", SpecPath, _ => null, progress).ToList();
        Assert.That(
            progress.ToString(),
            Does.Contain("ConvParity: recording 8 case(s)").And.Contain("recorded 8 case(s)")
        );
        Assert.That(first, Has.Count.EqualTo(8));
        // numpy refused mode='nonsense', and the convention cannot plan it: ignored with the reason, never passed.
        Assert.That(
            first.Where(d => d.RunState == NUnit.Framework.Interfaces.RunState.Ignored).Select(d => d.TestName),
            Is.EqualTo(new[] { "mine: refused/0" })
        );
        var engine = new ReferenceEngine();
        foreach (var data in first.Where(d => d.RunState != NUnit.Framework.Interfaces.RunState.Ignored))
        {
            var parityCase = (ParityCase)data.Arguments[0]!;
            Assert.That(parityCase.RecordedNow, Does.Contain($"{parityCase.Id} was recorded in this run"));
            ParityAssert.Matches(engine, parityCase);
        }

        var stamp = Directory.GetFiles(SuiteFolder).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var replay = new StringWriter();
        var second = ParityCases.RecordedWith("suite", SpecPath, name => name == "CI" ? "true" : null, replay).ToList();
        Assert.That(replay.ToString(), Is.Empty, "nothing missing: nothing recorded");
        Assert.That(second.Select(d => d.TestName), Is.EqualTo(first.Select(d => d.TestName)));
        Assert.That(
            second.Select(d => ((ParityCase)d.Arguments[0]!).RecordedNow),
            Is.All.Null,
            "replayed, not recorded"
        );
        Assert.That(Directory.GetFiles(SuiteFolder).ToDictionary(f => f, File.GetLastWriteTimeUtc), Is.EqualTo(stamp));

        // A new entry under CONVPARITY_RECORD=never: its case fails, the others replay, the folder is untouched.
        File.WriteAllText(
            SpecPath,
            CaseSpecs.Spec(
                Layers
                    + """
                    , {"name": "more", "call": "numpy.correlate",
                       "args": [{"name": "a", "shape": [5]}, {"name": "v", "shape": [2]}]}
                    """
            )
        );
        var never = ParityCases
            .RecordedWith("suite", SpecPath, name => name == ParityCases.RecordVariable ? "never" : null, replay)
            .ToList();
        var missing = never.Select(d => (ParityCase)d.Arguments[0]!).Single(c => c.NotRecorded is not null);
        Assert.That(missing.Id, Is.EqualTo("more/0"));
        Assert.That(missing.NotRecorded, Does.Contain("CONVPARITY_RECORD=never"));
        Assert.Throws<InvalidOperationException>(() => ParityAssert.Matches(engine, missing));
        Assert.That(Directory.GetFiles(SuiteFolder).ToDictionary(f => f, File.GetLastWriteTimeUtc), Is.EqualTo(stamp));
    }

    /// <summary>Each case's lines in manifest.json, by id.</summary>
    private static Dictionary<string, string> ManifestBlocks(string folder)
    {
        var text = File.ReadAllText(Path.Combine(folder, "manifest.json"));
        var blocks = text.Split("\n    {\"id\": ", StringSplitOptions.None).Skip(1);
        return blocks.ToDictionary(b => b[1..b.IndexOf('"', 1)], b => b.TrimEnd().TrimEnd(']', '}', '\n', ' ', ','));
    }
}
