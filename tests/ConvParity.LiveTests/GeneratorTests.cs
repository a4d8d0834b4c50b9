using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Python;
using ConvParity.Python.Generation;

namespace ConvParity.Tests.Live;

/// <summary>The generator writes suites the checker reads, whole or not at all, and --check finds drift.</summary>
[Category("Live")]
[NonParallelizable]
public sealed class GeneratorTests
{
    private string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("convparity-generator-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private static GenerationReport GenerateNumpy(LiveReference live, string folder, bool force = false) =>
        SuiteWriter.Generate(live, "numpy", Catalogue.DefaultSeed, folder, force, TextWriter.Null);

    [Test]
    public void A_generated_suite_is_read_by_the_checker_and_every_case_passes()
    {
        string folder = Path.Combine(_scratch, "numpy");
        var report = GenerateNumpy(LivePython.Reference(), folder);
        var suite = FixtureSuite.Load(folder);
        Assert.That(
            suite.Cases,
            Has.Count.EqualTo(report.Cases).And.Count.EqualTo(Catalogue.For("numpy", Catalogue.DefaultSeed).Count)
        );
        Assert.That(suite.Environment["numpy"]?.GetValue<string>(), Is.Not.Null);
        Assert.That(
            Directory.GetFileSystemEntries(_scratch),
            Is.EqualTo(new[] { folder }),
            "no temporary folder is left behind"
        );
        var engine = new ReferenceEngine();
        var failures = suite
            .Cases.Select(c => FixtureCheck.Prepare(suite, c).Run(engine))
            .Where(r => r.Outcome != CaseOutcome.Passed)
            .ToList();
        Assert.That(failures.Select(f => $"{f.CaseId}: {f.Message}"), Is.Empty);
    }

    [Test]
    public void An_existing_suite_is_kept_unless_forced()
    {
        var live = LivePython.Reference();
        string folder = Path.Combine(_scratch, "numpy");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "mine.txt"), "keep me");
        Assert.Throws<GenerationException>(() => GenerateNumpy(live, folder));
        Assert.That(File.ReadAllText(Path.Combine(folder, "mine.txt")), Is.EqualTo("keep me"));
        GenerateNumpy(live, folder, force: true);
        Assert.That(File.Exists(Path.Combine(folder, "mine.txt")), Is.False);
        Assert.That(File.Exists(Path.Combine(folder, "manifest.json")), Is.True);
    }

    [Test]
    public void The_committed_numpy_suite_has_not_drifted_and_a_changed_answer_has()
    {
        var live = LivePython.Reference();
        string folder = Path.Combine(_scratch, "numpy");
        CopyFolder(Path.Combine(Repository.Fixtures, "numpy"), folder);
        var suite = FixtureSuite.Load(folder);
        Assert.That(
            DriftCheck
                .Run(live, suite)
                .Where(r => r.Outcome != DriftOutcome.Unchanged)
                .Select(r => $"{r.CaseId}: {r.Message}"),
            Is.Empty
        );

        // Nudge one stored answer by 1e-4 of its size: far beyond float32 rounding, so it must read as drift.
        var victim = suite.Cases[3];
        string expected = victim.Expected!;
        var arrays = NpzFile.Read(suite.PathOf(victim), [.. victim.Args, expected]);
        var nudged = arrays[expected].Tensor.Map(v => v + 1e-4f * (Math.Abs(v) + 1));
        live.Save(
            suite.PathOf(victim),
            [.. victim.Args, expected],
            [arrays[victim.Args[0]].Tensor, arrays[victim.Args[1]].Tensor, nudged]
        );

        var results = DriftCheck.Run(live, FixtureSuite.Load(folder));
        Assert.That(
            results.Where(r => r.Outcome != DriftOutcome.Unchanged).Select(r => (r.CaseId, r.Outcome)),
            Is.EqualTo(new[] { (victim.Id, DriftOutcome.Drifted) })
        );
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
