using System.Diagnostics;
using ConvParity.Cli;
using ConvParity.Fixtures;
using ConvParity.Python.Generation;
using ConvParity.Reporting;

namespace ConvParity.Tests;

/// <summary>
/// Nothing of the user's is deleted (issue 10, classes 2 and 5): report --out refuses folders it did not write, and
/// input suites, before the check runs; generate --out under a file, a concurrent generate, and stale leftovers.
/// </summary>
public sealed class OutputFolderTests
{
    private string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("convparity-out-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    /// <summary>A copy of the seed suite at <paramref name="folder"/> (under the scratch folder).</summary>
    private string SeedAt(string folder)
    {
        string target = Path.Combine(_scratch, folder);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(Path.Combine(Repository.Fixtures, "seed")))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    private static (int Code, string Output, string Errors) Report(string suite, string output, params string[] more)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(
            ["report", "--fixtures", suite, "--engine", "cpu-reference", "--out", output, .. more],
            stdout,
            stderr
        );
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Listing(string folder) =>
        [
            .. Directory
                .EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
                .Select(Path.GetFileName)
                .Order()!,
        ];

    [Test]
    public void Report_refuses_a_users_folder_before_the_check_and_deletes_nothing()
    {
        string suite = SeedAt("suite");
        string mine = Path.Combine(_scratch, "mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "thesis.tex"), "years of work");

        var (code, output, errors) = Report(suite, mine);

        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain($"--out {mine}: it is not a ConvParity report").And.Contain("--force"));
        Assert.That(output, Does.Not.Contain("passed"), "refused before the check ran");
        Assert.That(File.ReadAllText(Path.Combine(mine, "thesis.tex")), Is.EqualTo("years of work"));
    }

    [TestCase("")]
    [TestCase("sub")]
    public void Report_refuses_an_out_equal_to_or_inside_the_input_suite(string inside)
    {
        string suite = SeedAt("suite");
        var before = Listing(suite);

        var (code, _, errors) = Report(suite, Path.Combine(suite, inside), "--force");

        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain("is or lies inside the input suite"));
        Assert.That(Listing(suite), Is.EqualTo(before), "the suite is untouched, even with --force");
    }

    [Test]
    public void Report_refuses_an_out_holding_the_input_suite()
    {
        string suite = SeedAt(Path.Combine("holder", "suite"));
        var (code, _, errors) = Report(suite, Path.Combine(_scratch, "holder"), "--force");
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain("holds the input suite"));
        Assert.That(File.Exists(Path.Combine(suite, "manifest.json")));
    }

    [Test]
    public void Report_replaces_its_own_earlier_report_and_an_empty_folder_and_with_force_any_folder()
    {
        string suite = SeedAt("suite");
        string empty = Path.Combine(_scratch, "empty");
        Directory.CreateDirectory(empty);
        Assert.That(Report(suite, empty).Code, Is.EqualTo(ExitCodes.Passed));
        Assert.That(File.Exists(Path.Combine(empty, ReportFolder.MarkerName)), "every report is marked");
        Assert.That(
            Report(suite, empty).Code,
            Is.EqualTo(ExitCodes.Passed),
            "an earlier report is replaced without --force"
        );

        string mine = Path.Combine(_scratch, "mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "notes.txt"), "");
        Assert.That(Report(suite, mine, "--force").Code, Is.EqualTo(ExitCodes.Passed));
        Assert.That(File.Exists(Path.Combine(mine, "report.html")));
        Assert.That(
            Directory.GetFileSystemEntries(_scratch).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "suite", "empty", "mine" }),
            "no lock, partial or old folder left behind"
        );
    }

    [Test]
    public void Report_refuses_the_current_folder_and_those_above_it()
    {
        string here = Directory.GetCurrentDirectory();
        Assert.That(ReportFolder.Refusal(here, [], force: true), Does.Contain("the current folder or one above it"));
        Assert.That(
            ReportFolder.Refusal(Path.GetDirectoryName(here)!, [], force: true),
            Does.Contain("the current folder or one above it")
        );
    }

    [Test]
    public void Generate_out_under_a_file_is_a_usage_error_and_starts_nothing()
    {
        string file = Path.Combine(_scratch, "A");
        File.WriteAllText(file, "mine");
        var (code, _, errors) = CommandRunner.Run("generate", "--suite", "numpy", "--out", Path.Combine(file, "B"));

        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain($"{file} is a file, not a folder"));
        Assert.That(errors, Does.Not.Contain("live reference"), "refused before Python started");
        Assert.That(File.ReadAllText(file), Is.EqualTo("mine"));
    }

    [Test]
    public void A_second_generate_to_the_same_out_is_refused_while_the_first_holds_it()
    {
        string target = Path.Combine(_scratch, "suite");
        using var first = SuiteWriter.Claim(target, force: true);
        var (code, _, errors) = CommandRunner.Run("generate", "--suite", "numpy", "--out", target, "--force");

        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain($"{target} is being written by another ConvParity run"));
        Assert.That(Directory.Exists(first.Staging), "the first run's work is untouched");
    }

    [Test]
    public void The_final_move_refuses_a_target_that_appeared_meanwhile_without_force()
    {
        string target = Path.Combine(_scratch, "suite");
        using (var folder = SuiteWriter.Claim(target, force: false))
        {
            File.WriteAllText(Path.Combine(folder.Staging, "manifest.json"), "{}");
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "theirs.txt"), "written by another run");
            Assert.That(folder.Commit, Throws.TypeOf<OutputFolderException>().With.Message.Contain("already exists"));
        }
        Assert.That(
            Listing(_scratch),
            Is.EqualTo(new[] { "suite", "theirs.txt" }),
            "theirs kept, our staging and lock removed"
        );
    }

    [Test]
    public void Stale_partial_folders_of_dead_runs_are_removed_and_nothing_else()
    {
        int dead = DeadProcessId();
        string[] stale = [$".suite.partial-{dead}", $".suite.old-{dead}"];
        string[] kept =
        [
            ".suite.partial-1",
            $".suite.partialX-{dead}",
            $".other.partial-{dead}",
            $"suite.partial-{dead}",
            $".suite.partial-{dead}x",
        ];
        foreach (string name in stale.Concat(kept))
            Directory.CreateDirectory(Path.Combine(_scratch, name, "inner"));

        using (SuiteWriter.Claim(Path.Combine(_scratch, "suite"), force: false)) { }

        Assert.That(
            Directory.GetDirectories(_scratch).Select(Path.GetFileName),
            Is.EquivalentTo(kept),
            "process 1 is alive; other names are not ours"
        );
    }

    /// <summary>The id of a process that has exited (a short-lived child's).</summary>
    private static int DeadProcessId()
    {
        using var child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        child.WaitForExit();
        return child.Id;
    }
}
